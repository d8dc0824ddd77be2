# Sanitizer instrumentation for every target of the build (tests/sanitize/run.sh, tests/fuzz/run-fuzzers.sh).
# Included at the end of the top-level CMakeLists.txt, when every target exists, so nothing else has to
# know about it (the tests' own ctest timeouts, 300 s and more, are ten times what they need without
# sanitizers, so they stay as they are): ML_SANITIZE adds ASan + UBSan to every compiled target; ML_FUZZ (clang) also adds
# libFuzzer's coverage instrumentation, so the fuzzers see which branches of the core an input reached.
option(ML_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(NOT ML_SANITIZE AND NOT ML_FUZZ)
    return()
endif()

set(ml_sanitize_flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
set(ml_sanitize_compile ${ml_sanitize_flags})
if(ML_FUZZ)
    list(APPEND ml_sanitize_compile -fsanitize=fuzzer-no-link)
endif()

function(ml_collect_targets dir out)
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    foreach(sub IN LISTS subdirs)
        ml_collect_targets(${sub} more)
        list(APPEND targets ${more})
    endforeach()
    set(${out} ${targets} PARENT_SCOPE)
endfunction()

ml_collect_targets(${CMAKE_SOURCE_DIR} ml_all_targets)
foreach(t IN LISTS ml_all_targets)
    get_target_property(type ${t} TYPE)
    get_target_property(imported ${t} IMPORTED)
    if(imported OR type STREQUAL "INTERFACE_LIBRARY" OR type STREQUAL "UTILITY")
        continue()
    endif()
    target_compile_options(${t} PRIVATE ${ml_sanitize_compile})
    if(type STREQUAL "EXECUTABLE" OR type STREQUAL "SHARED_LIBRARY" OR type STREQUAL "MODULE_LIBRARY")
        target_link_options(${t} PRIVATE ${ml_sanitize_flags})
    endif()
endforeach()
message(STATUS "Sanitizers on every target: ${ml_sanitize_compile}")
