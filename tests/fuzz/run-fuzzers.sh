#!/bin/sh
# Runs every libFuzzer harness of tests/fuzz for a fixed time and prints what each did.
#
#   tests/fuzz/run-fuzzers.sh [seconds per target, default 300] [target…]
#
# Needs clang-14 and libclang-rt-14-dev (libFuzzer, ASan, UBSan runtimes); installs what is missing
# (apt-get, with sudo unless root). Builds build-fuzz (clang, -DML_FUZZ=ON: ASan + UBSan and
# libFuzzer coverage on the whole core) under /tmp/ml-build.lock, then runs each fuzz_<target>
# on a copy of corpus/<target> plus regressions/<target>, with json.dict. New inputs collect in
# build-fuzz/fuzz-work/<target>/corpus; a crash lands in build-fuzz/fuzz-work/<target>/ (crash-*,
# leak-*, timeout-*, oom-*): fix it, then keep the file in regressions/<target>/ so the normal
# test run (fuzz_<target>_corpus, label unit) replays it for good. ML_FUZZ_NO_BUILD=1 skips the
# build and runs the fuzzers build-fuzz already has.
#
# Per target it prints executions, exec/s, cov and ft (libFuzzer's edge and feature coverage at
# the end), corpus size and crashes. Exit status 1 when any target crashed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${ML_FUZZ_BUILD_DIR:-$src/build-fuzz}
lock=/tmp/ml-build.lock
seconds=${1:-300}
[ $# -gt 0 ] && shift
targets=${*:-"webhook zoho oracle mapping"}

missing=""
for pkg in clang-14 libclang-rt-14-dev cmake ninja-build; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y $missing
fi

# ML_FUZZ_NO_BUILD=1 runs the fuzzers already in build-fuzz as they are.
if [ "${ML_FUZZ_NO_BUILD:-0}" != 1 ]; then
    flock "$lock" cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++-14 -DBUILD_TESTING=ON -DML_WERROR=OFF -DML_FUZZ=ON >/dev/null
    flock "$lock" cmake --build "$build" -j2 --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)
fi

# Leaks are found at exit by LeakSanitizer where it works; per input, libFuzzer's own check.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=${ML_FUZZ_DETECT_LEAKS:-1}:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
failed=0
summary=""
for t in $targets; do
    work="$build/fuzz-work/$t"
    mkdir -p "$work/corpus"
    rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
    log="$work/fuzz.log"
    echo "== fuzz_$t for $seconds s (log: $log)"
    set +e
    "$build/bin/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -max_len=16384 \
        -rss_limit_mb=4096 -dict="$here/json.dict" -artifact_prefix="$work/" \
        -detect_leaks="${ML_FUZZ_DETECT_LEAKS:-1}" \
        "$work/corpus" "$here/corpus/$t" "$here/regressions/$t" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1)
    cov=$(printf '%s' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s' "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p')
    crashes=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    line=$(printf 'fuzz_%-8s executions %-10s exec/s %-7s cov %-6s ft %-7s corpus %-10s crashes %s (exit %s)' \
        "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" "$rc")
    echo "$line"
    summary="$summary$line
"
    if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
        failed=1
        grep -E 'ERROR: |runtime error|fuzz invariant|qFatal|^SUMMARY' "$log" | head -5 || true
        find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \)
    fi
done
echo
echo "Summary ($seconds s per target):"
printf '%s' "$summary"
exit $failed
