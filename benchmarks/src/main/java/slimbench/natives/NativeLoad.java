package slimbench.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import slimbench.probe.RunConditions;

/**
 * The one place that loads TensorFlow's native libraries on purpose, so that a system that cannot
 * load them gets one line naming the library, what it needs, what this system has and what to do,
 * rather than JavaCPP's 70-line {@link UnsatisfiedLinkError}. Every command that uses TensorFlow
 * asks {@link #require()} first; {@code run} and {@code doctor} ask {@link #problem()} and carry on
 * without TensorFlow.
 *
 * <p>The first load's outcome is kept: a JVM whose class initialiser failed reports later attempts
 * only as "Could not initialize class", without the reason.
 */
public final class NativeLoad {
    /** The arm64 JNI binding this jar carries adapted (see {@link ElfVersions}). */
    public static final String ARM64_BINDING = "org/tensorflow/internal/c_api/linux-arm64/libjnitensorflow.so";
    private static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-arm64");

    /** glibc's loader: {@code LIB: version `V' not found (required by NEEDER)}. */
    private static final Pattern VERSION_NOT_FOUND =
            Pattern.compile("(\\S+): version `([^']+)' not found \\(required by (\\S+)\\)");
    /** glibc's loader: {@code LIB: cannot open shared object file}. */
    private static final Pattern MISSING_LIBRARY = Pattern.compile("(\\S+): cannot open shared object file");

    private static volatile Optional<String> outcome;

    private NativeLoad() {}

    /** Thrown by {@link #require()}: bad for this system rather than a bug, so exit code 2. */
    public static final class Failure extends UnsupportedOperationException {
        public Failure(String message) {
            super(message);
        }
    }

    /** Loads TensorFlow once; the reason it cannot load here, or empty when it did. */
    public static Optional<String> problem() {
        if (outcome == null) {
            synchronized (NativeLoad.class) {
                if (outcome == null) {
                    outcome = attempt(org.tensorflow.TensorFlow::version, org.bytedeco.javacpp.Loader::getPlatform);
                }
            }
        }
        return outcome;
    }

    public static void require() {
        Optional<String> p = problem();
        if (p.isPresent()) {
            throw new Failure(p.get());
        }
    }

    /**
     * @param load loads the natives (throws what JavaCPP throws)
     * @param platform JavaCPP's platform name, e.g. {@code linux-arm64}
     */
    static Optional<String> attempt(Supplier<?> load, Supplier<String> platform) {
        try {
            load.get();
            return Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            return Optional.of(explain(e, platform.get(), Path.of("/"), RunConditions.glibcVersion()));
        }
    }

    /**
     * One line for a failed load. {@code root} is where library paths in the loader's message are
     * read (tests pass a tree; under qemu -L the emulator maps them); {@code glibc} is this system's.
     */
    static String explain(Throwable e, String platform, Path root, Optional<String> glibc) {
        String loader = deepestMessage(e);
        if (!PLATFORMS.contains(platform)) {
            return "TensorFlow's native libraries cannot load: this jar carries them for " + String.join(" and ", PLATFORMS)
                    + ", and this system is " + platform + " (run it on a Linux PC or a Jetson)";
        }
        Matcher v = VERSION_NOT_FOUND.matcher(loader);
        if (v.find()) {
            String provider = Path.of(v.group(1)).getFileName().toString();
            String needer = Path.of(v.group(3)).getFileName().toString();
            String version = v.group(2);
            return "TensorFlow's native library " + needer + " (" + platform + ") cannot load: it needs " + version
                    + " from " + provider + ", and this system's has " + provided(root, v.group(1), version)
                    + glibc.map(g -> " (glibc " + g + ")").orElse("") + "; run it where " + provider + " has " + version
                    + (platform.equals("linux-arm64")
                    ? " (JetPack 6 / Ubuntu 22.04 has glibc 2.35, GLIBCXX_3.4.30), or use a benchmarks.jar built by "
                            + "SlimBench, whose arm64 natives need no more than " + ElfVersions.Limits.UBUNTU_18_04
                    : " (Ubuntu 22.04 has glibc 2.35, GLIBCXX_3.4.30)");
        }
        Matcher m = MISSING_LIBRARY.matcher(loader);
        if (m.find()) {
            return "TensorFlow's native libraries (" + platform + ") cannot load: " + m.group(1)
                    + " is not installed; install it (on Debian/Ubuntu: the package holding " + m.group(1) + ")";
        }
        return "TensorFlow's native libraries (" + platform + ") cannot load: " + firstLine(loader)
                + "; `java -jar benchmarks.jar doctor` shows this system's C library and platform";
    }

    /**
     * Whether the linux-arm64 binding on the classpath was adapted by the build, and how, for
     * conditions.csv: read from the binding itself, so it says what the jar actually carries.
     */
    public static Optional<String> arm64Adaptation() {
        try (InputStream in = NativeLoad.class.getClassLoader().getResourceAsStream(ARM64_BINDING)) {
            if (in == null) {
                return Optional.empty();
            }
            List<ElfVersions.Need> weak = ElfVersions.of(ARM64_BINDING, in.readAllBytes()).needs().stream()
                    .filter(ElfVersions.Need::weak).toList();
            return Optional.of(weak.isEmpty() ? "no (the published linux-arm64 binding)"
                    : "libjnitensorflow.so: " + String.join(",", weak.stream().map(ElfVersions.Need::version).toList())
                    + " needs weak, their symbols unversioned (build-time edit, for glibc < 2.34 / libstdc++ < GCC 11)");
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /** What the system's library offers of the needed version's family: "up to GLIBCXX_3.4.28". */
    private static String provided(Path root, String library, String needed) {
        Path file = root.resolve(library.startsWith("/") ? library.substring(1) : library);
        try {
            String family = ElfVersions.family(needed);
            return ElfVersions.read(file).definitions().stream()
                    .filter(d -> ElfVersions.family(d).equals(family) && !d.equals(family))
                    .max(Comparator.comparing(d -> d.substring(family.length()), ElfVersions::compareVersions))
                    .map(d -> "up to " + d).orElse("no " + family + " versions");
        } catch (IOException | RuntimeException e) {
            return "not " + needed;
        }
    }

    private static String deepestMessage(Throwable e) {
        String message = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && (VERSION_NOT_FOUND.matcher(t.getMessage()).find()
                    || MISSING_LIBRARY.matcher(t.getMessage()).find())) {
                return t.getMessage();
            }
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
