#!/usr/bin/env bash
# Set up a Debian 12 machine for ml-connector and then either launch the demo or run every test.
#   installer/debian-setup.sh demo   install what is missing, build, launch the app against the bundled simulator
#   installer/debian-setup.sh test   install what is missing, build with -Werror, check formatting, run every test
# Both are idempotent: they install only missing packages and rebuild incrementally in ./build.
set -euo pipefail

mode=${1:-}
case "$mode" in
demo | test) ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

cd "$(dirname "$0")/.."
build_dir=${ML_BUILD_DIR:-build}

packages=(
    build-essential cmake ninja-build clang-format git
    openssl tzdata
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-networkauth-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
    qtkeychain-qt6-dev libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins
    libphonenumber-dev iso-codes
    python3 python3-jsonschema
    xvfb xauth dbus dbus-x11 gnome-keyring
    dpkg-dev file desktop-file-utils appstream
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "Installing missing packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
if [ "$mode" = demo ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF
    cmake --build "$build_dir" -j "$jobs" --target ml-connector ml-connector-sim
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "No desktop session (DISPLAY/WAYLAND_DISPLAY unset): running the demo inside Xvfb, where it is not visible." >&2
        exec xvfb-run -a "$build_dir/bin/ml-connector" --demo
    fi
    exec "$build_dir/bin/ml-connector" --demo
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DML_WERROR=ON
cmake --build "$build_dir" -j "$jobs"
cmake --build "$build_dir" --target format-check
# GUI tests run offscreen (set per test); no X server is needed.
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" -L 'unit|integration|gui|keychain|install' --no-tests=error
# The core, the CLI, the simulator and the unit and integration tests again, under ASan + UBSan.
ML_ASAN_BUILD_DIR="${ML_ASAN_BUILD_DIR:-${build_dir}-asan}" tests/sanitize/run.sh
