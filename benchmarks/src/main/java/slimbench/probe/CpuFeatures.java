package slimbench.probe;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the CPU can do for reduced precision, from its {@code /proc/cpuinfo} flags.
 *
 * <p>TensorFlow runs bfloat16 through oneDNN, fast only with AVX512-BF16 or AMX, and half
 * precision through Eigen, fast only with AVX512-FP16 or, on ARM, the half-precision SIMD of
 * ARMv8.2 ({@code asimdhp}; the Nano's Cortex-A57 is ARMv8.0 and lacks it). The report uses these
 * answers to explain why a bf16 or fp16 variant is slower than float on a given machine.
 */
public final class CpuFeatures {

    /** The flags worth recording with every run, in the order they are written. */
    public static final List<String> INTERESTING = List.of(
        "avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile",
        "asimd", "fphp", "asimdhp");

    private final Set<String> flags;

    private CpuFeatures(Collection<String> flags) {
        this.flags = Set.copyOf(flags);
    }

    /** From a list of flags as /proc/cpuinfo spells them. */
    public static CpuFeatures of(Collection<String> flags) {
        return new CpuFeatures(flags);
    }

    /** This machine's flags, or none where {@code /proc/cpuinfo} cannot be read. */
    public static CpuFeatures read(Roots roots) {
        return of(ProcCpuinfo.read(roots.proc()).map(ProcCpuinfo::flags).orElse(Set.of()));
    }

    public static CpuFeatures system() {
        return read(Roots.system());
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public boolean hasAvx512Bf16() {
        return has("avx512_bf16");
    }

    /** Intel AMX with its bfloat16 tiles, what oneDNN uses for bf16 matmul and convolution. */
    public boolean hasAmx() {
        return has("amx_bf16") && has("amx_tile");
    }

    public boolean hasAvx512Fp16() {
        return has("avx512_fp16");
    }

    /** ARMv8.2 half-precision arithmetic in SIMD ({@code asimdhp}) and scalar ({@code fphp}). */
    public boolean hasArmFp16() {
        return has("asimdhp") && has("fphp");
    }

    /** The {@link #INTERESTING} flags this CPU has, in that order. */
    public List<String> interesting() {
        return INTERESTING.stream().filter(flags::contains).toList();
    }
}
