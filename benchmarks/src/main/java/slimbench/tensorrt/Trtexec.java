package slimbench.tensorrt;

import slimbench.probe.ProcessTreeMemory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import slimbench.model.Variant;
import slimbench.probe.Command;
import slimbench.probe.Jetson;

/**
 * The machine's {@code trtexec} and the TensorRT it belongs to: found where the user said
 * ({@code run --trtexec PATH}, carried into the cells as the system property {@value #PROPERTY}),
 * else on the PATH, else at JetPack's place; its version read from its own first line, which it
 * prints even for {@code --help}, without a GPU. Also the flags each version spells differently.
 */
public record Trtexec(Path executable, TrtVersion version) {
    /** The system property that names the trtexec to use ({@code run --trtexec}); the cells inherit it. */
    public static final String PROPERTY = "slimbench.trtexec";
    /** Where JetPack and NVIDIA's containers install it. */
    public static final Path JETPACK = Path.of("/usr/src/tensorrt/bin/trtexec");
    private static final Duration VERSION_PROBE = Duration.ofSeconds(60);

    /** What looking for trtexec found: one, or why there is none to use, in one line. */
    public record Lookup(Optional<Trtexec> trtexec, String problem) {
        /** The trtexec, or the cell is UNSUPPORTED here with the reason. */
        public Trtexec require() {
            return trtexec.orElseThrow(() -> new UnsupportedOperationException(problem));
        }

        /** One line for {@code doctor}. */
        public String describe() {
            return trtexec.map(t -> "TensorRT " + t.version() + " (" + t.executable() + "): tensorrt cells will run on "
                    + gpu()).orElse(problem + ": tensorrt cells will be recorded UNSUPPORTED");
        }
    }

    /**
     * Makes {@code executable} the trtexec of this process and of the cells it starts (through
     * {@value #PROPERTY}, as the java of the cells is carried).
     *
     * @throws IllegalArgumentException when it is not an executable file
     */
    public static void use(Path executable) {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new IllegalArgumentException("--trtexec " + executable + " is not an executable file");
        }
        System.setProperty(PROPERTY, executable.toAbsolutePath().toString());
    }

    /** This machine's trtexec, by {@value #PROPERTY}, the PATH, then {@link #JETPACK}. */
    public static Lookup lookup() {
        String given = System.getProperty(PROPERTY, "");
        Path exe;
        if (!given.isBlank()) {
            exe = Path.of(given);
            if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
                return none("--trtexec " + given + " is not an executable file");
            }
        } else {
            exe = Command.onPath("trtexec").orElse(JETPACK);
            if (!Files.isExecutable(exe)) {
                return none("no trtexec: none on the PATH nor at " + JETPACK + " (JetPack's); give run --trtexec PATH");
            }
        }
        try {
            String help = output(exe, List.of("--help"));
            Optional<TrtVersion> v = TrtVersion.in(help);
            if (v.isEmpty()) {
                return none(exe + " printed no TensorRT version (not NVIDIA's trtexec?): "
                        + help.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output"));
            }
            if (v.get().compareTo(TrtVersion.OLDEST) < 0) {
                return none("TensorRT " + v.get() + " (" + exe + ") is older than " + TrtVersion.OLDEST.major() + "."
                        + TrtVersion.OLDEST.minor() + ", the oldest whose trtexec this runtime was written for");
            }
            return new Lookup(Optional.of(new Trtexec(exe.toAbsolutePath(), v.get())), "");
        } catch (IOException e) {
            return none(exe + " cannot be run: " + e.getMessage());
        }
    }

    private static Lookup none(String why) {
        return new Lookup(Optional.empty(), why);
    }

    /**
     * The GPU trtexec runs on (device 0), named without starting CUDA: {@code nvidia-smi -L}'s first
     * GPU on a PC, the board's model on a Jetson (whose GPU it fixes), else {@code GPU 0} of an
     * unnamed machine. A saved engine is keyed by it.
     */
    public static String gpu() {
        Optional<String> smi = Command.output(List.of("nvidia-smi", "-L"), Duration.ofSeconds(5))
                .flatMap(out -> out.lines().findFirst())
                .map(line -> line.replaceFirst("^GPU \\d+: ", "").replaceFirst(" \\(UUID: .*\\)$", "").trim());
        return smi.filter(s -> !s.isEmpty())
                .or(() -> Jetson.system().flatMap(Jetson::model))
                .orElse("GPU 0");
    }

    /** The flag that builds (and saves) an engine without inference: renamed in 8.6, the old one gone in 10.0. */
    String buildOnly() {
        return version.atLeast(8, 6) ? "--skipInference" : "--buildOnly";
    }

    /**
     * The precision flag of a variant: fp16 allows TensorRT's FP16 kernels; fp32 forbids TF32, which
     * TensorRT uses for "fp32" on Ampere and later unless told, so fp32 means fp32 on every GPU.
     */
    static String precision(Variant v) {
        return v == Variant.FP16 ? "--fp16" : "--noTF32";
    }

    /** How one trtexec run ended: its exit code and its log, read. */
    /**
     * @param memory the peaks of trtexec's memory while it ran, in MiB by metric: its resident
     *               memory, and the GPU's where the machine shows it ({@link ProcessTreeMemory})
     */
    record Ran(int exit, TrtexecOutput.Log log, java.util.Map<slimbench.probe.Metric, Double> memory) {
        boolean passed() {
            return exit == 0 && log.passed();
        }
    }

    /**
     * Runs trtexec with {@code args}, its output (both streams) into {@code log}, and waits for it:
     * no time limit here, the cell's watchdog ends the whole process tree.
     */
    Ran run(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(executable.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (ProcessTreeMemory memory = ProcessTreeMemory.watch(p.toHandle())) {
            int exit = p.waitFor();
            return new Ran(exit, TrtexecOutput.log(Files.readString(log, StandardCharsets.UTF_8)), memory.peaks());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while trtexec ran (" + log + ")");
        }
    }

    /** A short run's whole output, within {@link #VERSION_PROBE}. */
    private static String output(Path exe, List<String> args) throws IOException {
        Path out = Files.createTempFile("slimbench-trtexec", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(exe.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                if (!p.waitFor(VERSION_PROBE.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("no answer to --help within " + VERSION_PROBE.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while asking " + exe + " its version");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** What a run records about TensorRT in {@code conditions.csv}: the trtexec, its version, the GPU and the command lines. */
    public static Map<String, String> conditions(int warmups, int iterations, Duration iterationTime) {
        Map<String, String> c = new LinkedHashMap<>();
        Lookup l = lookup();
        if (l.trtexec().isEmpty()) {
            c.put("tensorrt.trtexec", l.problem());
            return c;
        }
        Trtexec t = l.trtexec().get();
        c.put("tensorrt.trtexec", t.executable().toString());
        c.put("tensorrt.version", t.version().toString());
        c.put("tensorrt.gpu", gpu());
        c.put("tensorrt.command", TensorRtCell.commandLines(t, warmups, iterations, iterationTime));
        return c;
    }
}
