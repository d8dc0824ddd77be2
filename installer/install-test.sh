#!/usr/bin/env bash
# The install test (ctest label `install`): packages the already-built tree with cpack, then
#   as root:      installs the .deb with dpkg, checks and runs the installed files, purges the package and checks
#                 that none of its files is left;
#   as any user:  unpacks the .deb into a temporary root with dpkg-deb -x and checks and runs the files there.
# usage: install-test.sh BUILD_DIR VERSION
# ML_INSTALL_TEST_MODE=extract forces the unpack mode even as root.
# Whatever happens, the trap purges what this run installed and removes its temporary directory.
set -euo pipefail

build_dir=$(realpath "$1")
version=$2
pkg=ml-connector
binaries=(ml-connector ml-connector-cli ml-connector-sim)
icon_sizes=(16 24 32 48 64 128 256)
started=$SECONDS

work=$(mktemp -d /tmp/ml-install-test.XXXXXX)
chmod 755 "$work"
installed_by_us=0

cleanup() {
    local rc=$?
    if ((installed_by_us)); then
        echo "cleanup: purging $pkg installed by this run" >&2
        dpkg -P "$pkg" >"$work/cleanup-purge.log" 2>&1 || {
            cat "$work/cleanup-purge.log" >&2
            rc=1
        }
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== [$((SECONDS - started)) s] $*"; }
need() { command -v "$1" >/dev/null || fail "$1 is missing (package $2; installer/debian-setup.sh installs it)"; }

need cpack cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need file file
need desktop-file-validate desktop-file-utils
need appstreamcli appstream

mode=extract
[ "$(id -u)" -eq 0 ] && mode=install
[ "${ML_INSTALL_TEST_MODE:-}" = extract ] && mode=extract

# --- package the build tree (no build: cpack only runs its install rules) ---------------------------------
for b in "${binaries[@]}"; do
    [ -x "$build_dir/bin/$b" ] || fail "$build_dir/bin/$b is missing: build the project first"
done
step "cpack in $build_dir"
# A fresh output directory per run, so an older package cannot stand in for this build's.
if ! (cd "$work" && timeout -k 10 600 cpack --config "$build_dir/CPackConfig.cmake" -B "$work/pkg") \
    >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    fail "cpack failed"
fi
deb="$work/pkg/${pkg}_${version}_$(dpkg --print-architecture).deb"
tgz="$work/pkg/${pkg}-${version}-Linux.tar.gz"
[ -f "$deb" ] || fail "cpack made no $deb: $(ls "$work/pkg")"
[ -f "$tgz" ] || fail "cpack made no $tgz: $(ls "$work/pkg")"
echo "$(basename "$deb") $(du -h "$deb" | cut -f1), $(basename "$tgz") $(du -h "$tgz" | cut -f1)"

# --- the package's metadata ----------------------------------------------------------------------------------
step "control fields"
dpkg-deb -f "$deb" Package Version Architecture Section Maintainer Homepage Depends Suggests
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
# (regular expressions) libqt6core6/libqt6widgets6/libqt6keychain1/libphonenumber8 come from dpkg-shlibdeps, the others are loaded at
# run time and listed by hand.
for d in libc6 libqt6core6 libqt6widgets6 libqt6keychain1 'libphonenumber8(-protobuf32)?' libqt6sql6-sqlite libqt6svg6 \
    iso-codes; do
    grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || fail "Depends lacks $d: $depends"
done
[ -n "$(dpkg-deb -f "$deb" Description)" ] || fail "no Description"

# --- unpack: the reference copy of every file ---------------------------------------------------------------
root="$work/root"
dpkg-deb -x "$deb" "$root"
mapfile -t files < <(cd "$root" && find . ! -type d | sed 's|^\./|/|' | sort)
((${#files[@]} > 0)) || fail "the package holds no files"
printf '%s\n' "${files[@]}"
metainfo_path=$(printf '%s\n' "${files[@]}" | grep '^/usr/share/metainfo/.*\.metainfo\.xml$') ||
    fail "the package has no AppStream metainfo"
[ "$(wc -l <<<"$metainfo_path")" -eq 1 ] || fail "the package has more than one metainfo file"
for b in "${binaries[@]}"; do
    # The GNU build id survives stripping: the packaged binaries are this build tree's.
    id_built=$(readelf -n "$build_dir/bin/$b" | awk '/Build ID/ {print $3}')
    id_packed=$(readelf -n "$root/usr/bin/$b" | awk '/Build ID/ {print $3}')
    [[ -n "$id_built" && "$id_built" == "$id_packed" ]] ||
        fail "/usr/bin/$b in the package is not $build_dir/bin/$b (build id '$id_packed' vs '$id_built')"
done

step "tgz layout"
tar -tzf "$tgz" >"$work/tgz.list"
for f in "${binaries[@]/#/bin/}" share/applications/ml-connector.desktop \
    share/icons/hicolor/scalable/apps/ml-connector.svg; do
    grep -qx "${pkg}-${version}-Linux/$f" "$work/tgz.list" || fail "the .tgz lacks $f"
done

# Checks one installed tree: $1 is its root ("" for the system).
check_tree() {
    local r=$1 f s out
    step "files under ${r:-/}"
    for b in "${binaries[@]}"; do
        [ -x "$r/usr/bin/$b" ] || fail "$r/usr/bin/$b is missing or not executable"
    done
    f="$r/usr/share/applications/ml-connector.desktop"
    [ -f "$f" ] || fail "$f is missing"
    desktop-file-validate "$f" || fail "$f does not validate"
    grep -qx "Exec=ml-connector" "$f" || fail "$f: Exec is not ml-connector"
    grep -qx "Icon=ml-connector" "$f" || fail "$f: Icon is not ml-connector"
    local metainfo=("$r$metainfo_path")
    [ -f "${metainfo[0]}" ] || fail "${metainfo[0]} is missing"
    appstreamcli validate --no-net "${metainfo[0]}" || fail "${metainfo[0]} does not validate"
    grep -q '<launchable type="desktop-id">ml-connector.desktop</launchable>' "${metainfo[0]}" ||
        fail "the metainfo does not launch ml-connector.desktop"
    grep -q "<release version=\"$version\"" "${metainfo[0]}" || fail "the metainfo has no release $version"
    f="$r/usr/share/icons/hicolor/scalable/apps/ml-connector.svg"
    file -b "$f" | grep -q "SVG" || fail "$f is not an SVG"
    for s in "${icon_sizes[@]}"; do
        f="$r/usr/share/icons/hicolor/${s}x${s}/apps/ml-connector.png"
        file -b "$f" | grep -q "PNG image data, $s x $s," || fail "$f is not a ${s}x${s} PNG"
    done

    step "$r/usr/bin/ml-connector-cli --version"
    # A clean environment: no LD_LIBRARY_PATH or QT_PLUGIN_PATH from the build can help the installed files.
    local home="$work/home"
    mkdir -p "$home/run"
    chmod 700 "$home/run"
    mkdir -p "$home/tmp"
    local clean_env=(env -i PATH=/usr/bin:/bin HOME="$home" XDG_RUNTIME_DIR="$home/run" TMPDIR="$home/tmp" LANG=C.UTF-8)
    out=$("${clean_env[@]}" timeout -k 10 60 "$r/usr/bin/ml-connector-cli" --version) || fail "ml-connector-cli --version failed"
    echo "$out"
    [ "$out" = "ml-connector-cli $version" ] || fail "unexpected --version output: $out"

    step "demo self-check of $r/usr/bin/ml-connector"
    # No --simulator: the app must find ml-connector-sim beside itself. timeout signals the whole process group,
    # so a hung app cannot leave its simulator behind.
    if ! "${clean_env[@]}" QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='ml.*.debug=false;ml.core.demo.info=true' \
        timeout -k 10 180 "$r/usr/bin/ml-connector" --demo --self-check >"$work/self-check.log" 2>&1; then
        cat "$work/self-check.log" >&2
        fail "the demo self-check of the installed app failed"
    fi
    cat "$work/self-check.log"
    grep -qF "$r/usr/bin/ml-connector-sim" "$work/self-check.log" ||
        fail "the self-check did not use $r/usr/bin/ml-connector-sim"
}

if [ "$mode" = extract ]; then
    echo "mode: unpacked into $root (not root, or ML_INSTALL_TEST_MODE=extract)"
    check_tree "$root"
    step "done"
    echo "install test passed (unpacked) in $((SECONDS - started)) s"
    exit 0
fi

# --- install, check, run, purge --------------------------------------------------------------------------------
echo "mode: dpkg install into /"
status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
case "$status" in
"" | not-installed | config-files) ;;
*)
    fail "$pkg $(dpkg-query -W -f='${Version}' "$pkg") is already installed ($status). The test installs and" \
        "removes its own build, so it will not touch that one: remove it first (apt-get purge $pkg)"
    ;;
esac
for f in "${files[@]}"; do
    if [ -e "$f" ] || [ -L "$f" ]; then
        fail "$f already exists and belongs to no installed $pkg: the test would overwrite and then delete it"
    fi
done

step "dpkg -i $(basename "$deb")"
installed_by_us=1
dpkg -i "$deb" >"$work/dpkg-install.log" 2>&1 || {
    cat "$work/dpkg-install.log" >&2
    fail "dpkg -i failed"
}
[ "$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg")" = "installed $version" ] ||
    fail "dpkg does not list $pkg $version as installed"
dpkg -V "$pkg" >"$work/verify.log" 2>&1 || true
[ ! -s "$work/verify.log" ] || fail "dpkg -V $pkg: $(cat "$work/verify.log")"
for f in "${files[@]}"; do
    cmp -s "$f" "$root$f" || fail "$f differs from the file in the package just built"
done
check_tree ""

step "dpkg -P $pkg"
dpkg -P "$pkg" >"$work/dpkg-purge.log" 2>&1 || {
    cat "$work/dpkg-purge.log" >&2
    fail "dpkg -P failed"
}
installed_by_us=0
status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = not-installed ] || fail "$pkg is still known to dpkg after the purge ($status)"
for f in "${files[@]}"; do
    if [ -e "$f" ] || [ -L "$f" ]; then
        fail "$f is left after the purge"
    fi
done
step "done"
echo "install test passed (installed, ran, purged) in $((SECONDS - started)) s"
