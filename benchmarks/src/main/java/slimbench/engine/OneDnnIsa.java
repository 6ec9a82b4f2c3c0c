package slimbench.engine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import slimbench.model.Precision;
import slimbench.probe.CpuFeatures;

/**
 * oneDNN's instruction-set cap against the types TensorFlow sends it.
 *
 * <p>TensorFlow decides by the CPU's flags which types go to oneDNN (bfloat16 on AVX-512, half
 * with AVX512-FP16: {@link OneDnnBinding#typeOnOneDnn}); {@code ONEDNN_MAX_CPU_ISA} (formerly
 * {@code DNNL_MAX_CPU_ISA}) caps what oneDNN itself dispatches to, and so lets one machine test
 * another's kernels. Capped below a type's kernels, oneDNN finds no convolution for it and
 * TensorFlow aborts the whole process ("could not create a primitive descriptor for a
 * convolution", measured: bfloat16 under {@code AVX2} on a Zen 4). Such a type is unsupported in
 * that process, said before anything is loaded.
 */
public final class OneDnnIsa {
    /** oneDNN's levels, lowest first, as the variable spells them. */
    static final List<String> LEVELS = List.of("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE",
            "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX512_CORE_AMX", "AVX512_CORE_AMX_FP16");

    private OneDnnIsa() {}

    /** The cap in force in this process, empty when none (unset, {@code ALL} or {@code DEFAULT}). */
    public static Optional<String> cap() {
        String v = System.getenv("ONEDNN_MAX_CPU_ISA");
        return parse(v != null ? v : System.getenv("DNNL_MAX_CPU_ISA"));
    }

    static Optional<String> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        return LEVELS.contains(v) ? Optional.of(v) : Optional.empty();
    }

    /** Why this process cannot run {@code p}, or empty when it can. */
    public static Optional<String> unrunnable(Precision p) {
        return unrunnable(p, CpuFeatures.system(), OneDnnBinding.onednnEnabled(), cap());
    }

    static Optional<String> unrunnable(Precision p, CpuFeatures cpu, boolean onednn, Optional<String> cap) {
        if (!onednn || cap.isEmpty() || !OneDnnBinding.typeOnOneDnn(p.dataType(), cpu)) {
            return Optional.empty();
        }
        String needed = switch (p) {
            case FP32 -> "SSE41";
            case BF16 -> "AVX512_CORE";      // bfloat16 emulated in AVX-512 where the CPU lacks its instructions
            case FP16 -> "AVX512_CORE_FP16";
        };
        if (LEVELS.indexOf(cap.get()) >= LEVELS.indexOf(needed)) {
            return Optional.empty();
        }
        return Optional.of(p.label() + " needs oneDNN's " + needed + " kernels, but ONEDNN_MAX_CPU_ISA=" + cap.get()
                + " caps oneDNN below them (TensorFlow would abort the process)");
    }
}
