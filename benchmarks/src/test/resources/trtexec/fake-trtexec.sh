#!/usr/bin/env bash
# A fake trtexec for SlimBench's tests on machines without a GPU. It prints, writes and exits as
# NVIDIA's trtexec of one TensorRT version does (the formats of docs/tensorrt.md, the same as the
# fixtures beside this file), times nothing real (its inference times are made up, plausible), and
# computes the output through ONNX Runtime on the same ONNX file (slimbench.tensorrt.FakeTrtexecMain),
# so the accuracy check of a tensorrt cell runs for real.
#
# Environment:
#   FAKE_TRTEXEC_VERSION  8.2, 8.5 (default) or 10.3: whose log lines, JSON and flags to replay
#   FAKE_TRTEXEC_FAIL     "unsupported": the ONNX parser stops at a node it has no importer for
#   FAKE_TRTEXEC_JAVA     the java that runs FakeTrtexecMain (default: java)
#   FAKE_TRTEXEC_CP       its classpath (the test classpath)
#   FAKE_TRTEXEC_ARGV0    the name it was called by (default: $0)
set -euo pipefail

version=${FAKE_TRTEXEC_VERSION:-8.5}
case $version in
    8.2) number=8201 full=8.2.1 latency=1.18 ;;
    8.5) number=8502 full=8.5.2 latency=0.42 ;;
    10.3) number=100300 full=10.3.0 latency=0.27 ;;
    *) printf 'fake trtexec: FAKE_TRTEXEC_VERSION=%s is none of 8.2, 8.5, 10.3\n' "$version" >&2; exit 2 ;;
esac
readonly device="SlimBench fake GPU (no CUDA; a test double)"
tag="[TensorRT v$number]"
cmdline="${FAKE_TRTEXEC_ARGV0:-$0}${*:+ $*}"

log() { printf '[%s] [%s] %s\n' "$(date +%m/%d/%Y-%H:%M:%S)" "$1" "$2"; }
info() { log I "$1"; }
error() { log E "$1"; }
finish() { printf '&&&& %s TensorRT.trtexec %s # %s\n' "$1" "$tag" "$cmdline"; }
fail() { finish FAILED; exit 1; }
pass() { finish PASSED; exit 0; }

help_text() {
    cat <<'EOF'
=== Model Options ===
  --onnx=<file>               ONNX model
=== Build Options ===
  --fp16                      Enable fp16 precision, in addition to fp32 (default = disabled)
  --noTF32                    Disable tf32 precision (default is to enable tf32, in addition to fp32)
  --saveEngine=<file>         Save the serialized engine
  --loadEngine=<file>         Load a serialized engine
=== Inference Options ===
  --loadInputs=spec           Load input values from files (default = generate random inputs).
  --iterations=N              Run at least N inference iterations (default = 10)
  --warmUp=N                  Run for N milliseconds to warmup before measuring performance (default = 200)
  --duration=N                Run performance measurements for at least N seconds wallclock time (default = 3)
=== Reporting Options ===
  --exportTimes=<file>        Write the timing results in a json file (default = disabled)
  --exportOutput=<file>       Write the output tensors to a json file (default = disabled)
EOF
}

printf '&&&& RUNNING TensorRT.trtexec %s # %s\n' "$tag" "$cmdline"

onnx="" engine_in="" engine_out="" build_only=false fp16=false
warmup=200 duration=3 iterations=10 inputs="" times="" output=""
unknown() {
    help_text
    error "Unknown option: $1 "
    fail
}
for arg in "$@"; do
    case $arg in
        --help | -h) help_text; exit 0 ;;
        --onnx=*) onnx=${arg#*=} ;;
        --loadEngine=*) engine_in=${arg#*=} ;;
        --saveEngine=*) engine_out=${arg#*=} ;;
        --buildOnly) [[ $version != 10.3 ]] || unknown "$arg"; build_only=true ;; # gone in 10.0
        --skipInference) [[ $version == 10.3 ]] || unknown "$arg"; build_only=true ;; # from 8.6
        --fp16) fp16=true ;;
        --noTF32) ;;
        --warmUp=*) warmup=${arg#*=} ;;
        --duration=*) duration=${arg#*=} ;;
        --iterations=*) iterations=${arg#*=} ;;
        --loadInputs=*) inputs=${arg#*=} ;;
        --exportTimes=*) times=${arg#*=} ;;
        --exportOutput=*) output=${arg#*=} ;;
        *) unknown "$arg" ;;
    esac
done

info "=== Model Options ==="
info "Format: $([[ -n $onnx ]] && echo ONNX || echo '*')"
info "Model: $onnx"
info "Output:"
info "=== Build Options ==="
precision=FP32
if $fp16; then precision=FP32+FP16; fi
info "Precision: $precision"
info "Save engine: $engine_out"
info "Load engine: $engine_in"
info "=== Inference Options ==="
info "Iterations: $iterations"
info "Duration: ${duration}s (+ ${warmup}ms warm up)"
info "Inputs:"
[[ -z $inputs ]] || info "${inputs%%:*}<-${inputs#*:}"
info "=== Reporting Options ==="
info "Export timing to JSON file: $times"
info "Export output to JSON file: $output"
info ""
info "=== Device Information ==="
info "Selected Device: $device"
info "Compute Capability: 5.3"
info ""
info "TensorRT version: $full"

deserialized() { [[ $version == 8.2 ]] || info "Engine deserialized in 0.0214532 sec."; }

if [[ -n $engine_in ]]; then
    if [[ ! -r $engine_in ]]; then
        error "Error opening engine file: $engine_in"
        error "Failed to create engine from model."
        error "Engine set up failed"
        fail
    fi
    built_by=$(sed -n 's/^version=//p' "$engine_in")
    model=$(sed -n 's/^onnx=//p' "$engine_in")
    if [[ $built_by != "$full" ]]; then
        error "[TRT] 1: [stdArchiveReader.cpp::StdArchiveReader::40] Error Code 1: Serialization (Serialization assertion stdVersionRead == serializationVersion failed.Version tag does not match. Note: Current Version: $number, Serialized Engine Version: ${built_by:-none})"
        error "[TRT] 4: [runtime.cpp::deserializeCudaEngine::50] Error Code 4: Internal Error (Engine deserialization failed.)"
        error "Engine deserialization failed"
        error "Engine set up failed"
        fail
    fi
    info "Engine loaded in 0.0103419 sec."
else
    if [[ -z $onnx ]]; then
        error "Model missing at: "
        fail
    fi
    model=$onnx
    info "Start parsing network model"
    info "[TRT] ----------------------------------------------------------------"
    info "[TRT] Input filename:   $onnx"
    info "[TRT] ONNX IR version:  0.0.8"
    info "[TRT] Opset version:    13"
    info "[TRT] Producer name:    slimbench"
    info "[TRT] ----------------------------------------------------------------"
    if [[ ${FAKE_TRTEXEC_FAIL:-} == unsupported ]]; then
        info "[TRT] No importer registered for op: Erf. Attempting to import as plugin."
        error "[TRT] ModelImporter.cpp:773: While parsing node number 4 [Erf -> \"MobilenetV1/Conv2d_1_depthwise/gelu\"]:"
        error "[TRT] ModelImporter.cpp:774: --- Begin node ---"
        printf 'op_type: "Erf"\n\n'
        error "[TRT] ModelImporter.cpp:775: --- End node ---"
        error "[TRT] ModelImporter.cpp:778: ERROR: builtin_op_importers.cpp:4870 In function importFallbackPluginImporter:"
        printf '%s\n' '[8] Assertion failed: creator && "Plugin not found, are the plugin name, version, and namespace correct?"'
        error "Failed to parse onnx file"
        info "Finish parsing network model"
        error "Parsing model failed"
        error "Failed to create engine from model."
        error "Engine set up failed"
        fail
    fi
    info "Finish parsing network model"
    info "Engine built in 12.3217 sec."
    if [[ -n $engine_out ]]; then
        printf 'SLIMBENCH-FAKE-TRT-ENGINE\nversion=%s\nonnx=%s\nfp16=%s\n' "$full" "$onnx" "$fp16" >"$engine_out"
    fi
fi

if $build_only; then
    deserialized
    [[ $version == 8.2 ]] || info "Skipped inference phase since $([[ $version == 10.3 ]] && echo --skipInference || echo --buildOnly) is added."
    pass
fi
deserialized

if [[ -n $inputs && ${inputs%%:*} != input ]]; then
    error "Cannot find input tensor with name \"${inputs%%:*}\" in the engine bindings! Please make sure the input tensor names are correct."
    error "Invalid tensor names found in --loadInputs flag."
    error "Inference set up failed"
    fail
fi
input_file=${inputs#*:}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! "${FAKE_TRTEXEC_JAVA:-java}" -cp "${FAKE_TRTEXEC_CP:?the test classpath}" slimbench.tensorrt.FakeTrtexecMain \
        "$model" "$input_file" "$fp16" "$version" >"$work/values" 2>"$work/errors"; then
    error "$(tail -n 1 "$work/errors")"
    error "Inference set up failed"
    fail
fi
info "Using values loaded from $input_file for input input"
info "Created input binding for input with dimensions $(sed -n 1p "$work/values")"
info "Created output binding for scores with dimensions $(sed -n 2p "$work/values")"
info "Starting inference"

# The trace: one query enqueued ahead of the one computing, as trtexec's inference loop runs it;
# warm-up queries until compute starts after --warmUp ms, then at least --iterations queries and
# --duration seconds. 8.2 writes the warm-ups into the file too, and endToEndMs; later versions neither.
awk -v lat="$latency" -v warm="$warmup" -v dur="$duration" -v iters="$iterations" -v v="$version" \
    -v seed="$$" -v file="${times:-/dev/null}" '
    function field(name, x) { return sprintf("\"%s\" : %g", name, x) }
    BEGIN {
        srand(seed); t = 0; d2h[0] = -10; d2h[1] = -10; enqEnd = 0; n = 0; timed = 0; first = -1
        print "[" > file; sep = "  "
        while (1) {
            enqS = (enqEnd > d2h[0] ? enqEnd : d2h[0]) + 0.005 + rand() * 0.015
            enqE = enqS + 0.08 + rand() * 0.06
            h2dS = (enqS + 0.03 > d2h[1]) ? enqS + 0.03 : d2h[1]; h2dE = h2dS + 0.010 + rand() * 0.006
            cS = h2dE + 0.002; cE = cS + lat * (0.93 + rand() * 0.15) * (n == 0 ? 1.6 : 1)
            dS = cE + 0.002; dE = dS + 0.004 + rand() * 0.003
            enqEnd = enqE; d2h[0] = d2h[1]; d2h[1] = dE; n++
            warmup = cS < warm
            if (!warmup) { timed++; if (first < 0) first = h2dS; printf "LAT %.9g\n", (h2dE - h2dS) + (cE - cS) + (dE - dS) }
            if (!warmup || v == "8.2") {
                line = sep "{ " field("startEnqMs", enqS) ", " field("endEnqMs", enqE) ", " field("startH2dMs", h2dS) ", " \
                    field("endH2dMs", h2dE) ", " field("startComputeMs", cS) ", " field("endComputeMs", cE) ", " \
                    field("startD2hMs", dS) ", " field("endD2hMs", dE) ", " field("h2dMs", h2dE - h2dS) ", " \
                    field("computeMs", cE - cS) ", " field("d2hMs", dE - dS) ", " \
                    field("latencyMs", (h2dE - h2dS) + (cE - cS) + (dE - dS))
                if (v == "8.2") line = line ", " field("endToEndMs", dE - h2dS)
                print line " }" > file; sep = ", "
            }
            if (!warmup && timed >= iters && dE - first >= dur * 1000) break
        }
        print "]" > file
        printf "META %d %d %.9g\n", n - timed, timed, (dE - first)
    }' >"$work/trace"
read -r _ warmups timed walltime < <(grep '^META' "$work/trace")
grep '^LAT' "$work/trace" | cut -d' ' -f2 | sort -g >"$work/sorted"
info "Warmup completed $warmups queries over $warmup ms"
info "Timing trace has $timed queries over $(awk -v w="$walltime" 'BEGIN { printf "%g", w / 1000 }') s"
info ""
info "=== Performance summary ==="
percentiles=$([[ $version == 8.2 ]] && echo 99 || echo "90 95 99")
info "Throughput: $(awk -v n="$timed" -v w="$walltime" 'BEGIN { printf "%g", n / w * 1000 }') qps"
info "Latency: $(awk -v ps="$percentiles" '
    { v[NR] = $1; sum += $1 }
    END {
        median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "min = %g ms, max = %g ms, mean = %g ms, median = %g ms", v[1], v[NR], sum / NR, median
        k = split(ps, p, " ")
        for (i = 1; i <= k; i++) { exclude = int((1 - p[i] / 100) * NR + 1e-6); printf ", percentile(%g%%) = %g ms", p[i], v[NR - exclude] }
    }' "$work/sorted")"
info "Total Host Walltime: $(awk -v w="$walltime" 'BEGIN { printf "%g", w / 1000 }') s"
info ""
if [[ -n $output ]]; then
    tail -n +3 "$work/values" | awk -v dims="$(sed -n 2p "$work/values")" '
        { values = values (NR > 1 ? ", " : "") sprintf("%g", $1) }
        END { printf "[\n  { \"name\" : \"scores\"\n  , \"dimensions\" : \"%s\"\n  , \"values\" : [ %s ]\n  }\n]\n", dims, values }' >"$output"
fi
pass
