#!/usr/bin/env bash
# Usage: .ci/setup-arm64.sh [--suite bookworm|bullseye] [ROOT]
#
# Prepares an x86_64 Debian 12 host to run benchmarks.jar as linux-arm64 (the Jetson Nano's
# platform) under qemu user-mode emulation: installs qemu-user-static and unpacks an arm64
# Java 17 runtime plus the libraries it and TensorFlow's arm64 native need into a private root.
# No binfmt_misc is assumed, so qemu is named explicitly:
#
#   qemu-aarch64-static -L ROOT ROOT/usr/lib/jvm/java-17-openjdk-arm64/bin/java -jar target/benchmarks.jar ...
#
# --suite picks the Debian release the root is made of: bookworm (the default, Debian 12: glibc
# 2.36, GCC 12's libstdc++) comes from the host's own apt lists; bullseye (Debian 11: glibc 2.31,
# GCC 10's libstdc++, the userland of a Jetson on JetPack 5 / Ubuntu 20.04) comes from a private
# sources list, lists and cache directory beside the root, so the host's apt is never touched.
#
# ROOT defaults to $SLIMBENCH_ARM64_ROOT (bookworm) or $SLIMBENCH_ARM64_BULLSEYE_ROOT (bullseye),
# else ${XDG_CACHE_HOME:-$HOME/.cache}/slimbench/arm64-root or .../arm64-root-bullseye (where
# Arm64IT looks). A complete ROOT carries a stamp file and is left alone, so a second run
# costs a second. Extra host packages to install alongside qemu (CI passes shellcheck) go in
# $SLIMBENCH_HOST_PACKAGES. Needs root (or sudo) for apt-get; prints the arm64 java path on stdout.
set -euo pipefail

# Why each package: the JVM needs libc6, libstdc++6, libgcc-s1 (libjvm.so) and zlib1g (libzip.so);
# TensorFlow's libtensorflow_cc.so.2, libtensorflow_framework.so.2, libjnitensorflow.so and
# JavaCPP's libjnijavacpp.so need only libc6 (libc, libm, libdl, librt, libpthread), libstdc++6
# and libgcc-s1 (they carry their own libomp). The JRE's AWT, font, sound, colour and smart-card
# libraries (libasound2, libfreetype6, libharfbuzz0b, libjpeg62-turbo, liblcms2-2, libpcsclite1)
# are loaded only on use and are left out: nothing run under emulation draws or plays anything.
readonly ARM64_PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g openjdk-17-jre-headless)
readonly JAVA_REL=usr/lib/jvm/java-17-openjdk-arm64/bin/java
readonly STAMP_NAME=.slimbench-arm64-root

SUITE=bookworm
ROOT=""
LOG=$(mktemp "${TMPDIR:-/tmp}/setup-arm64.XXXXXX.log")
WORK=""
LISTS_FRESH=""  # set once apt-get update has run in this invocation
APT_OPTS=()     # empty: the host's apt; for bullseye, options naming the private apt directories
cleanup() {
    rm -f "$LOG"
    if [[ -n $WORK ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

die() { printf 'setup-arm64: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'setup-arm64: %s\n' "$*" >&2; }

# Runs a command with its output kept in $LOG; shows that output only when the command fails.
quiet() {
    if ! "$@" >"$LOG" 2>&1; then
        cat "$LOG" >&2
        die "failed: $*"
    fi
}

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "needs root for: $* (run as root or install sudo)"
    fi
}

apt_quiet() {
    quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 "$@"
}

install_host_packages() {
    local wanted=() pkg
    command -v qemu-aarch64-static >/dev/null || wanted+=(qemu-user-static)
    for pkg in ${SLIMBENCH_HOST_PACKAGES:-}; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || wanted+=("$pkg")
    done
    if ((${#wanted[@]} > 0)); then
        say "installing ${wanted[*]}"
        # Fresh private (bullseye) lists say nothing about the host's own.
        [[ -n $LISTS_FRESH && ${#APT_OPTS[@]} -eq 0 ]] || apt_quiet update
        apt_quiet install -y --no-install-recommends "${wanted[@]}"
    fi
    command -v qemu-aarch64-static >/dev/null || die "qemu-aarch64-static not on PATH after installing qemu-user-static"
}

update_lists() {
    if ((${#APT_OPTS[@]} > 0)); then
        quiet apt-get -qq -o APT::Sandbox::User=root "${APT_OPTS[@]}" update
    else
        apt_quiet update
    fi
}

# Debian 11's arm64 packages through apt directories of their own (beside ROOT): the host's
# sources, lists, cache and dpkg state are not read or written, and no root rights are needed.
use_private_bullseye_lists() {
    local apt=$ROOT.apt
    # Debian's archive keyring: its current keys sign bullseye's point-release and security suites.
    local KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
    [[ -f $KEYRING ]] || die "no $KEYRING: install debian-archive-keyring"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$apt/preferences.d"
    : >"$apt/status"
    # Debian 11 and its point releases, which carry openjdk-17 (bullseye-security is left out: a
    # fix there reaches the main suite at the next point release, and this root runs no network code).
    cat >"$apt/sources.list" <<LIST
deb [arch=arm64 signed-by=$KEYRING] http://deb.debian.org/debian bullseye main
deb [arch=arm64 signed-by=$KEYRING] http://deb.debian.org/debian bullseye-updates main
LIST
    APT_OPTS=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
        -o "Dir::Etc::PreferencesParts=$apt/preferences.d" -o "Dir::State::Lists=$apt/lists"
        -o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt/cache"
        -o APT::Architecture=arm64 -o APT::Architectures::=arm64)
    if ! apt-cache "${APT_OPTS[@]}" show openjdk-17-jre-headless:arm64 >/dev/null 2>&1; then
        update_lists
        LISTS_FRESH=1
        apt-cache "${APT_OPTS[@]}" show openjdk-17-jre-headless:arm64 >/dev/null 2>&1 \
            || die "no openjdk-17-jre-headless:arm64 in Debian bullseye after apt-get update"
    fi
}

enable_arm64_lists() {
    if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
        die "needs a Debian host (dpkg, apt-get)"
    fi
    if [[ $SUITE == bullseye ]]; then
        use_private_bullseye_lists
        return
    fi
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        say "adding dpkg architecture arm64"
        quiet as_root dpkg --add-architecture arm64
    fi
    if ! apt-cache show libc6:arm64 >/dev/null 2>&1; then
        apt_quiet update
        LISTS_FRESH=1
        apt-cache show libc6:arm64 >/dev/null 2>&1 \
            || die "no arm64 packages after apt-get update (does sources.list serve arm64?)"
    fi
}

# The stamp's first line names the package set; a changed set means rebuild. The versions that
# follow are for the record only: a newer Debian point release is no reason to rebuild.
stamp_header() {
    if [[ $SUITE == bookworm ]]; then
        printf 'packages: %s\n' "${ARM64_PACKAGES[*]}"
    else
        printf 'packages: %s (%s)\n' "${ARM64_PACKAGES[*]}" "$SUITE"
    fi
}

root_is_complete() {
    [[ -x $ROOT/$JAVA_REL && -f $ROOT/$STAMP_NAME ]] \
        && [[ $(head -n 1 "$ROOT/$STAMP_NAME") == "$(stamp_header)" ]]
}

# Package files point into /etc and /usr with absolute symlinks (conf/, lib/jvm.cfg); under
# qemu -L those would resolve on the host, so make every absolute link relative to the root.
relativize_links() {
    local dir=$1 link target
    while IFS= read -r -d '' link; do
        target=$(readlink "$link")
        ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir$target")" "$link"
    done < <(find "$dir" -type l -lname '/*' -print0)
}

build_root() {
    local stage=$ROOT.partial deb
    # Replace only what this script made (stamped, or empty): never wipe a directory someone else owns.
    if [[ -e $ROOT && ! -f $ROOT/$STAMP_NAME ]] && [[ ! -d $ROOT || -n $(ls -A "$ROOT") ]]; then
        die "$ROOT exists and is not an arm64 root made by this script; remove it or pick another ROOT"
    fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/setup-arm64.XXXXXX")
    say "downloading ${ARM64_PACKAGES[*]} (arm64)"
    # apt drops to user _apt for downloads; it cannot write into root's private temp dir.
    cd "$WORK"
    local download=(apt-get -qq -o APT::Sandbox::User=root "${APT_OPTS[@]}" download "${ARM64_PACKAGES[@]/%/:arm64}")
    if ! "${download[@]}" >"$LOG" 2>&1; then
        # Stale package lists name versions the mirror no longer has (404): refresh once and retry.
        [[ -z $LISTS_FRESH ]] || { cat "$LOG" >&2; die "failed: ${download[*]}"; }
        update_lists
        LISTS_FRESH=1
        quiet "${download[@]}"
    fi
    cd - >/dev/null
    rm -rf "$stage"
    mkdir -p "$stage"
    for deb in "$WORK"/*.deb; do
        quiet dpkg-deb -x "$deb" "$stage"
    done
    relativize_links "$stage"
    [[ -x $stage/$JAVA_REL ]] || die "no $JAVA_REL in the unpacked packages"
    {
        stamp_header
        for deb in "$WORK"/*.deb; do
            # shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
            dpkg-deb -W --showformat='${Package}:arm64 ${Version}\n' "$deb"
        done
    } >"$stage/$STAMP_NAME"

    rm -rf "$ROOT"
    mv "$stage" "$ROOT"
}

verify_root() {
    local out
    if ! out=$(qemu-aarch64-static -L "$ROOT" "$ROOT/$JAVA_REL" -version 2>&1); then
        printf '%s\n' "$out" >&2
        die "arm64 java does not start under qemu (ROOT=$ROOT)"
    fi
    grep -q 'version "17' <<<"$out" || die "unexpected java -version output under qemu: $out"
}

main() {
    if [[ ${1:-} == --suite ]]; then
        [[ $# -ge 2 ]] || die "usage: $0 [--suite bookworm|bullseye] [ROOT]"
        SUITE=$2
        shift 2
    fi
    [[ $# -le 1 ]] || die "usage: $0 [--suite bookworm|bullseye] [ROOT]"
    case $SUITE in
        bookworm) ROOT=${1:-${SLIMBENCH_ARM64_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/slimbench/arm64-root}} ;;
        bullseye) ROOT=${1:-${SLIMBENCH_ARM64_BULLSEYE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/slimbench/arm64-root-bullseye}} ;;
        *) die "unknown suite '$SUITE': bookworm (Debian 12) or bullseye (Debian 11)" ;;
    esac
    [[ $(uname -m) == x86_64 ]] || say "warning: host is $(uname -m); this script is meant for x86_64 hosts"
    mkdir -p "$(dirname "$ROOT")"
    ROOT=$(realpath -m "$ROOT")

    if root_is_complete; then
        install_host_packages
        verify_root
    else
        enable_arm64_lists
        install_host_packages
        build_root
        verify_root
        say "arm64 root ready: $ROOT ($(du -sh "$ROOT" | cut -f1))"
    fi
    printf '%s\n' "$ROOT/$JAVA_REL"
}

main "$@"
