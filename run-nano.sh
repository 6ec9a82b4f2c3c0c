#!/usr/bin/env bash
# The Jetson Nano runner: checks the device, records its power state, sizes the JVM heap for it and
# runs `benchmarks.jar run --preset nano`. See --help.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: ./run-nano.sh [OPTIONS] [--] [ARGS FOR 'run'...]

Runs SlimBench on a Jetson Nano (aarch64):
  java -Xmx<heap> $JAVA_OPTS -jar benchmarks.jar run --preset nano [ARGS...]
Results land in reports/<host>/<timestamp>/ (the jar's last line, "results: <dir>"); the device
notes (power mode, clocks, memory) are written beside them as device-notes.txt, and the diff
command to run on the host is printed at the end.

Options:
  --jar PATH      benchmarks.jar to run (default: target/benchmarks.jar, else ./benchmarks.jar)
  --heap SIZE     JVM max heap, e.g. 1g (default: 25% of MemTotal, at least 512m; TensorFlow's
                  native memory lives outside the Java heap and needs the rest)
  --max-clocks    before running, set the maximum power mode and lock clocks:
                  sudo nvpmodel -m 0 && sudo jetson_clocks (stays in effect until reboot)
  --force         run on a machine that is not aarch64
  --dry-run       print every command that would run; change nothing
  -h, --help      show this help
Anything else, and everything after --, is passed to 'run' (e.g. --models mobilenet_v1).

Environment:
  JAVA_OPTS       extra JVM options, placed after the computed -Xmx (so an -Xmx here wins)
  JAVA            java binary (default: $JAVA_HOME/bin/java, else java on PATH); Java 17 or newer

On a Jetson it reads the L4T release (/etc/nv_tegra_release: R32 = JetPack 4, R35 = 5, R36 = 6),
says what runs there (the CPU runs the cells; GPU cells are UNSUPPORTED) and, when Java 17 is
missing, how to get it for that Ubuntu. Where the board has TensorRT's trtexec (on the PATH, or
JetPack's /usr/src/tensorrt/bin/trtexec), the run adds the tensorrt cells: TensorRT fp32 and fp16
on the GPU, through that trtexec (--runtimes tensorflow,onnxruntime,tensorrt unless --runtimes is
given).
EOF
}

# For tests only: pretend to be another machine.
ARCH=${RUN_NANO_ARCH:-$(uname -m)}
MEMINFO=${RUN_NANO_MEMINFO:-/proc/meminfo}
TEGRA_RELEASE=${RUN_NANO_TEGRA_RELEASE:-/etc/nv_tegra_release}
JETPACK_TRTEXEC=${RUN_NANO_TRTEXEC:-/usr/src/tensorrt/bin/trtexec}
readonly MIN_HEAP_MB=512
readonly LOW_MEMORY_KB=$((1024 * 1024))

jar=""
heap=""
max_clocks=false
force=false
dry_run=false
run_args=()

die() { printf 'run-nano: error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'run-nano: warning: %s\n' "$*" >&2; }
say() { printf 'run-nano: %s\n' "$*" >&2; }

# Traces a command to stderr exactly as it would be typed (like bash -x); under --dry-run that is all that happens.
show() { { printf '+'; printf ' %q' "$@"; printf '\n'; } >&2; }
act() {
    show "$@"
    if ! $dry_run; then "$@"; fi
}

parse_args() {
    while (($# > 0)); do
        case $1 in
            --jar) (($# >= 2)) || die "--jar needs a path"; jar=$2; shift ;;
            --jar=*) jar=${1#--jar=} ;;
            --heap) (($# >= 2)) || die "--heap needs a size such as 1g"; heap=$2; shift ;;
            --heap=*) heap=${1#--heap=} ;;
            --max-clocks) max_clocks=true ;;
            --force) force=true ;;
            --dry-run) dry_run=true ;;
            -h | --help) usage; exit 0 ;;
            --) shift; run_args+=("$@"); break ;;
            *) run_args+=("$1") ;;
        esac
        shift
    done
    [[ -z $heap || $heap =~ ^[0-9]+[kKmMgG]?$ ]] || die "--heap '$heap' is not a JVM size such as 768m or 1g"
}

check_arch() {
    [[ $ARCH == aarch64 ]] && return 0
    if $force; then
        warn "this is $ARCH, not aarch64 (a Jetson Nano); going on because of --force"
    else
        die "this is $ARCH, not aarch64: run-nano.sh is for the Jetson Nano. On a PC run
  java -jar target/benchmarks.jar run
or pass --force to use the Nano settings here anyway."
    fi
}

# The Jetson generation, from L4T's release line ("# R32 (release), REVISION: 7.1, ..."); the same
# table as the jar's probe/JetPack, which doctor prints in full.
l4t=""
jetpack=""
ubuntu=""
read_jetson() {
    [[ -r $TEGRA_RELEASE ]] || return 0
    local line
    line=$(head -n 1 "$TEGRA_RELEASE")
    if [[ $line =~ R([0-9]+)\ \(release\),\ REVISION:\ ([0-9.]+) ]]; then
        l4t="R${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
        case ${BASH_REMATCH[1]} in
            32) jetpack="JetPack 4" ubuntu="Ubuntu 18.04" ;;
            35) jetpack="JetPack 5" ubuntu="Ubuntu 20.04" ;;
            36) jetpack="JetPack 6" ubuntu="Ubuntu 22.04" ;;
        esac
    fi
    if [[ -z $l4t ]]; then
        warn "$TEGRA_RELEASE has no L4T release line (\"# R32 (release), REVISION: ...\"): cannot tell the JetPack version"
    elif [[ -z $jetpack ]]; then
        say "L4T $l4t: a release run-nano.sh does not know (R32 = JetPack 4, R35 = JetPack 5, R36 = JetPack 6)"
    else
        say "L4T $l4t: $jetpack ($ubuntu). The CPU runs the cells; GPU cells (tftrt-fp16) are recorded UNSUPPORTED: TensorFlow Java's arm64 native has no CUDA (java -jar benchmarks.jar doctor says why)"
    fi
}

# How to get a Java 17 runtime here. Checked: Ubuntu 20.04 (focal-updates) and 22.04 carry
# openjdk-17; for 18.04 only Eclipse Temurin's aarch64 tarball (glibc 2.17 or newer) was confirmed.
java_advice() {
    if [[ $jetpack == "JetPack 4" ]]; then
        cat <<'EOF'
On JetPack 4 (Ubuntu 18.04) get Eclipse Temurin 17 for Linux aarch64 (it needs glibc 2.17, 18.04 has 2.27):
  download the JRE (or JDK) .tar.gz from https://adoptium.net/temurin/releases/?version=17&os=linux&arch=aarch64
  tar xzf OpenJDK17U-*_aarch64_linux_hotspot_*.tar.gz
  JAVA=/path/to/the/unpacked/folder/bin/java ./run-nano.sh ...
(or check whether your Ubuntu 18.04 archive offers it: apt-cache policy openjdk-17-jre-headless)
EOF
    else
        printf 'Install one: sudo apt-get install openjdk-17-jre-headless (or set JAVA=/path/to/java17/bin/java)\n'
    fi
}

find_java() {
    if [[ -n ${JAVA:-} ]]; then
        java=$JAVA
    elif [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        java=$JAVA_HOME/bin/java
    else
        java=java
    fi
    command -v "$java" >/dev/null || die "no Java found ($java); SlimBench needs Java 17 or newer.
$(java_advice)"
    java_version=$("$java" -version 2>&1 | head -n 1)
    local v major
    v=$(sed -n 's/^[^"]*"\([^"]*\)".*/\1/p' <<<"$java_version")
    major=${v%%.*}
    [[ $major == 1 ]] && major=$(cut -d. -f2 <<<"$v")  # 1.8.0_x is Java 8
    [[ $major =~ ^[0-9]+$ ]] || die "cannot read the Java version from: $java_version"
    ((major >= 17)) || die "Java $major found ($java_version); SlimBench needs Java 17 or newer.
$(java_advice)"
}

meminfo_kb() { awk -v k="$1:" '$1 == k {print $2; found = 1} END {if (!found) print 0}' "$MEMINFO"; }

check_memory() {
    [[ -r $MEMINFO ]] || die "cannot read $MEMINFO"
    mem_total_kb=$(meminfo_kb MemTotal)
    mem_available_kb=$(meminfo_kb MemAvailable)
    swap_total_kb=$(meminfo_kb SwapTotal)
    ((mem_total_kb > 0)) || die "no MemTotal in $MEMINFO"
    if ((mem_available_kb < LOW_MEMORY_KB)); then
        warn "only $((mem_available_kb / 1024)) MiB available; close other programs (a desktop session takes ~1 GiB) or large models will fail"
    fi
    if ((swap_total_kb == 0)); then
        warn "no swap or zram: the larger models may be killed for memory; on JetPack enable zram (sudo systemctl enable --now nvzramconfig) or add a swap file"
    fi
    if [[ -z $heap ]]; then
        local mb=$((mem_total_kb / 4 / 1024))
        ((mb >= MIN_HEAP_MB)) || mb=$MIN_HEAP_MB
        heap=${mb}m
    fi
}

# Read-only queries of the device's power state; each one's output (or why it is missing) goes into the notes.
query() {
    local cmd=("$@")
    [[ ${cmd[0]} == sudo ]] && cmd=("${cmd[@]:1}")
    if ! command -v "${cmd[0]}" >/dev/null; then
        printf '%s: not installed\n' "${cmd[0]}"
    elif $dry_run; then
        show "$@"
        printf '%s: not queried (--dry-run)\n' "${cmd[*]}"
    elif [[ $1 == sudo && $EUID -ne 0 ]]; then
        sudo -n "${cmd[@]}" 2>&1 || printf '%s: needs root (run with sudo -v first to record it)\n' "${cmd[*]}"
    else
        "${cmd[@]}" 2>&1 || true
    fi
}

power_state() {
    printf -- '--- nvpmodel -q\n%s\n' "$(query nvpmodel -q)"
    printf -- '--- jetson_clocks --show\n%s\n' "$(query sudo jetson_clocks --show)"
}

device_notes() {
    printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'host: %s\n' "$(hostname)"
    printf 'arch: %s\n' "$ARCH"
    printf 'kernel: %s\n' "$(uname -r)"
    if [[ -r $TEGRA_RELEASE ]]; then
        printf 'l4t: %s%s\n' "$(head -n 1 "$TEGRA_RELEASE")" "${jetpack:+ ($jetpack, $ubuntu)}"
    fi
    printf 'java: %s (%s)\n' "$java_version" "$java"
    printf 'memory: MemTotal %d MiB, MemAvailable %d MiB, SwapTotal %d MiB%s\n' \
        $((mem_total_kb / 1024)) $((mem_available_kb / 1024)) $((swap_total_kb / 1024)) \
        "$(grep -q zram /proc/swaps 2>/dev/null && echo ' (zram)')"
    printf 'heap: -Xmx%s\n' "$heap"
    printf 'power state before the run:\n%s\n' "$(power_state)"
}

# TensorRT's trtexec, where the board has one: the tensorrt cells run TensorRT on the GPU through it.
trtexec=""
find_trtexec() {
    local candidate
    if [[ -n ${RUN_NANO_TRTEXEC:-} ]]; then
        candidate=$RUN_NANO_TRTEXEC
    else
        candidate=$(command -v trtexec || printf '%s' "$JETPACK_TRTEXEC")
    fi
    if [[ -f $candidate && -x $candidate ]]; then
        trtexec=$candidate
        say "TensorRT: $trtexec found; the run adds the tensorrt cells (TensorRT fp32 and fp16 on the GPU)"
    else
        say "TensorRT: no trtexec on the PATH nor at $candidate: no tensorrt cells"
    fi
}

# The arguments for 'run': the user's, with the tensorrt cells added where trtexec was found.
tensorrt_args() {
    [[ -n $trtexec ]] || return 0
    local a
    for a in "${run_args[@]}"; do
        [[ $a == --runtimes || $a == --runtimes=* ]] && { printf '%s\n' --trtexec "$trtexec"; return 0; }
    done
    printf '%s\n' --runtimes tensorflow,onnxruntime,tensorrt --trtexec "$trtexec"
}

find_jar() {
    if [[ -z $jar ]]; then
        jar=target/benchmarks.jar
        [[ -f $jar || ! -f benchmarks.jar ]] || jar=benchmarks.jar
    fi
    if [[ ! -f $jar ]]; then
        if $dry_run; then
            warn "no $jar yet (build it with mvn package, or pass --jar)"
        else
            die "no $jar: build it with 'mvn package' (on the host; copy target/benchmarks.jar here) or pass --jar PATH"
        fi
    fi
}

main() {
    parse_args "$@"
    check_arch
    read_jetson
    find_java
    check_memory
    find_trtexec
    find_jar

    local notes
    notes=$(device_notes)
    if $max_clocks; then
        local tool
        for tool in nvpmodel jetson_clocks; do
            command -v "$tool" >/dev/null || $dry_run \
                || die "--max-clocks needs $tool (part of NVIDIA's L4T / JetPack), which is not installed"
        done
        act sudo nvpmodel -m 0
        act sudo jetson_clocks
        notes+=$'\n'"power state after --max-clocks (sudo nvpmodel -m 0 && sudo jetson_clocks):"$'\n'"$(power_state)"
    fi
    printf '%s\n' "$notes" >&2

    local java_opts=()
    read -r -a java_opts <<<"${JAVA_OPTS:-}"
    local trt=()
    mapfile -t trt < <(tensorrt_args)
    local cmd=("$java" "-Xmx$heap" "${java_opts[@]}" -jar "$jar" run --preset nano "${run_args[@]}" "${trt[@]}")

    local nano_run nano_reports status=0
    nano_run=$(hostname)/'<timestamp>'
    nano_reports=$(pwd)/reports
    show "${cmd[@]}"
    if ! $dry_run; then
        local out results
        out=$(mktemp)
        "${cmd[@]}" | tee "$out" || status=${PIPESTATUS[0]}
        results=$(sed -n 's/^results: //p' "$out" | tail -n 1)
        rm -f "$out"
        if [[ -z $results ]]; then
            printf '%s\n' "$notes" >"device-notes-$(date +%Y%m%d-%H%M%S).txt"
            die "the run printed no 'results: <dir>' line (exit $status); device notes kept in ./device-notes-*.txt"
        fi
        printf '%s\n' "$notes" >"$results/device-notes.txt"
        nano_run=${results#*reports/}
        nano_reports=$(cd "$results/../.." && pwd)
        ((status == 0)) || warn "the run exited with $status; partial results are in $results"
    fi

    cat <<EOF

Copy the Nano's reports to the host (from the repository root there):
  rsync -a $(whoami)@$(hostname):$nano_reports/ reports/
then compare against a host run:
  java -jar benchmarks.jar diff reports/<host-run>/results.csv reports/$nano_run/results.csv
EOF
    return "$status"
}

main "$@"
