#!/bin/sh
# ASan + UBSan run of the unit and integration tests.
#
#   tests/sanitize/run.sh            configure build-asan (gcc, ML_SANITIZE=ON), build what the
#                                    unit and integration tests need, run ctest -L 'unit|integration'
#   tests/sanitize/run.sh -R Mapping only the tests matching a regex (any further ctest arguments)
#
# Builds under /tmp/ml-build.lock like every build on the shared machine. Prints the wall time of
# the build and of the test run; a target that fails to build fails the run, after the tests ran. Exit status: ctest's. Findings abort the test that made them
# (halt_on_error / -fno-sanitize-recover): ctest then names it and its log has the report.
# -Werror is off here: gcc's sanitizer instrumentation trips false-positive warnings in Qt headers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${ML_ASAN_BUILD_DIR:-$src/build-asan}
lock=/tmp/ml-build.lock

missing=""
for pkg in cmake ninja-build g++ python3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y $missing
fi

start=$(date +%s)
flock "$lock" cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DML_WERROR=OFF -DML_SANITIZE=ON >/dev/null
# Only what the unit and integration tests run: the test executables, the simulator and the CLI.
targets="ml-connector-sim ml-connector-cli ml-soak core_link_probe fuzz_webhook_regress fuzz_zoho_regress fuzz_oracle_regress fuzz_mapping_regress"
ninja_targets=$(ninja -C "$build" -t targets all | sed 's/:.*//')
for t in $(ctest --test-dir "$build" -N -L 'unit|integration' | sed -n 's/^ *Test *#[0-9]*: //p'); do
    if printf '%s\n' "$ninja_targets" | grep -qx "$t"; then
        targets="$targets $t"
    fi
done
# -k 0: a test that does not build (someone's file half-written) must not keep the others from running.
build_status=0
flock "$lock" cmake --build "$build" -j2 --target $targets -- -k 0 || build_status=$?
built=$(date +%s)

# LeakSanitizer needs ptrace-like access some containers refuse; use it when it works here.
leaks=1
if ASAN_OPTIONS=detect_leaks=1 "$build/bin/core_link_probe" 2>&1 | grep -q "LeakSanitizer has encountered a fatal error"; then
    leaks=0
    echo "LeakSanitizer does not work on this machine: running without leak detection"
fi
export ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0:strict_init_order=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$here/ubsan.supp"

status=0
ctest --test-dir "$build" -L 'unit|integration' --output-on-failure "$@" || status=$?
done_at=$(date +%s)
echo "sanitize: build $((built - start)) s (exit $build_status), tests $((done_at - built)) s, ctest exit $status"
[ "$build_status" -eq 0 ] || status=1
exit $status
