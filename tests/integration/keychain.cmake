# Real-keychain tests (label "keychain"): QtKeychain over gnome-keyring on a private D-Bus bus.
# Included from tests/integration/CMakeLists.txt. Not part of 'unit|integration|gui': run them
# with ctest -L keychain. Each test runs inside its own dbus-run-session; HOME and the XDG
# directories point into the build tree, so the developer's own keyring is never touched.
add_executable(tst_KeychainReal tst_KeychainReal.cpp)
target_link_libraries(tst_KeychainReal PRIVATE Qt6::Test mlcore ml_warnings)

set(ML_KEYCHAIN_HOME ${CMAKE_CURRENT_BINARY_DIR}/keychain-home)
file(MAKE_DIRECTORY ${ML_KEYCHAIN_HOME}/runtime)
file(CHMOD ${ML_KEYCHAIN_HOME} ${ML_KEYCHAIN_HOME}/runtime DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ML_KEYCHAIN_ENV
    "HOME=set:${ML_KEYCHAIN_HOME}"
    "XDG_CONFIG_HOME=set:${ML_KEYCHAIN_HOME}/.config"
    "XDG_DATA_HOME=set:${ML_KEYCHAIN_HOME}/.local/share"
    "XDG_CACHE_HOME=set:${ML_KEYCHAIN_HOME}/.cache"
    "XDG_RUNTIME_DIR=set:${ML_KEYCHAIN_HOME}/runtime"
    "GNOME_KEYRING_CONTROL=unset:"
    "DISPLAY=unset:"
    "WAYLAND_DISPLAY=unset:"
    "QT_LOGGING_RULES=set:ml.*.debug=false")

# Unlocked: also creates the login keyring (password "pw") that the locked test needs.
add_test(NAME tst_KeychainReal
         COMMAND /usr/bin/dbus-run-session -- sh -c
                 "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec '$<TARGET_FILE:tst_KeychainReal>'")
set_tests_properties(tst_KeychainReal PROPERTIES
    LABELS keychain TIMEOUT 300 FIXTURES_SETUP keychain_login RESOURCE_LOCK keychain_home
    ENVIRONMENT_MODIFICATION "${ML_KEYCHAIN_ENV}")

# Locked: nothing unlocks the keyring; D-Bus activation starts gnome-keyring-daemon on first use.
add_test(NAME tst_KeychainLocked
         COMMAND /usr/bin/dbus-run-session -- sh -c "exec '$<TARGET_FILE:tst_KeychainReal>' --locked")
set_tests_properties(tst_KeychainLocked PROPERTIES
    LABELS keychain TIMEOUT 300 FIXTURES_REQUIRED keychain_login RESOURCE_LOCK keychain_home
    ENVIRONMENT_MODIFICATION "${ML_KEYCHAIN_ENV}")
