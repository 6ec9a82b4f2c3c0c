package slimbench.probe;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This Jetson as L4T describes it: the release line of {@code /etc/nv_tegra_release}
 * ({@code # R32 (release), REVISION: 7.1, GCID: ..., BOARD: t210ref, ...}) and the board name of
 * {@code /proc/device-tree/model}. Absent on any other machine.
 *
 * @param major the L4T major release, 32 for R32.7.1
 * @param revision the rest of the version, 7.1 for R32.7.1
 * @param board the BOARD field, e.g. t210ref (a Tegra X1: Nano, TX1); empty when not given
 * @param model the device-tree model, e.g. "NVIDIA Jetson Nano Developer Kit", when readable
 */
public record Jetson(int major, String revision, String board, Optional<String> model) {

    private static final Pattern RELEASE = Pattern.compile("#\\s*R(\\d{1,4})\\s*\\(release\\),\\s*REVISION:\\s*([\\d.]+)");
    private static final Pattern BOARD = Pattern.compile("BOARD:\\s*([\\w-]+)");

    /** This machine's Jetson, read through the {@code slimbench.*} roots. */
    public static Optional<Jetson> system() {
        return read(Roots.system());
    }

    /** The Jetson under {@code roots}; absent when there is no readable L4T release line. */
    public static Optional<Jetson> read(Roots roots) {
        Optional<String> text = new ProcFile(roots.etc().resolve("nv_tegra_release")).text();
        Optional<Matcher> release = text.map(RELEASE::matcher).filter(Matcher::find);
        if (release.isEmpty()) {
            return Optional.empty();
        }
        Matcher board = BOARD.matcher(text.get());
        return Optional.of(new Jetson(Integer.parseInt(release.get().group(1)), release.get().group(2),
                board.find() ? board.group(1) : "", new ProcFile(roots.proc().resolve("device-tree/model")).text()));
    }

    /** "R32.7.1". */
    public String l4t() {
        return "R" + major + "." + revision;
    }

    public Optional<JetPack> jetPack() {
        return JetPack.ofL4t(major);
    }

    /** "JetPack 4 (Ubuntu 18.04, CUDA 10.2)", or what is known when the release is not in the table. */
    public String generation() {
        return jetPack().map(JetPack::describe)
                .orElse("L4T " + l4t() + ": a release this jar does not know (it knows R32 = JetPack 4, R35 = 5, R36 = 6)");
    }

    /** A Tegra X1 (Jetson Nano, TX1): its GPU is a Maxwell, compute capability 5.3. */
    boolean tegraX1() {
        return board.startsWith("t210") || model.filter(m -> m.matches(".*\\bJetson (Nano|TX1)\\b.*")).isPresent();
    }

    /** Why GPU cells are UNSUPPORTED on this Jetson. */
    public String gpuReason() {
        return JetPack.gpuReason(jetPack(), tegraX1());
    }

    /** What this jar does here, as doctor says it and conditions.csv records it. */
    public String cells() {
        return "on the CPU; GPU cells (tftrt-fp16) are recorded UNSUPPORTED: " + gpuReason();
    }

    /** "L4T R32.7.1 = JetPack 4", or "L4T R34.1.1" for a release outside the table. */
    public String release() {
        return "L4T " + l4t() + jetPack().map(j -> " = " + j.label()).orElse("");
    }

    /** "NVIDIA Jetson Nano Developer Kit, L4T R32.7.1 = JetPack 4 (Ubuntu 18.04, CUDA 10.2)". */
    public String describe() {
        return model.map(m -> m + ", ").orElse("") + "L4T " + l4t() + " = " + generation();
    }
}
