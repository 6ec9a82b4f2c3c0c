package slimbench.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How every child JVM of SlimBench starts: the same java ({@value #JAVA}, which an emulated run
 * sets to its qemu-wrapped java, else this JVM's own executable) and the same launch properties,
 * on this JVM's class path.
 */
public final class ChildJvm {
    /** The java of the cells, their forks and every helper process. */
    public static final String JAVA = "slimbench.java";
    private static final String LAUNCH = "jdk.lang.Process.launchMechanism";
    /** The trtexec a run was given ({@code run --trtexec}), which its cells run. */
    private static final String TRTEXEC = "slimbench.trtexec";

    private ChildJvm() {}

    /** The java executable a child runs on. */
    public static String java() {
        String java = System.getProperty(JAVA, "");
        return !java.isBlank() ? java : ProcessHandle.current().info().command().orElse("java");
    }

    /** The properties a child passes on to its own children, as {@code -D} flags. */
    public static List<String> inherited() {
        List<String> flags = new ArrayList<>();
        for (String property : List.of(JAVA, LAUNCH, TRTEXEC)) {
            if (System.getProperty(property) != null) {
                flags.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        return flags;
    }

    /** {@code java [inherited] [jvmFlags] -cp CLASSPATH MAIN}: the start of a child's command line. */
    public static List<String> command(List<String> jvmFlags, Class<?> main) {
        return command(jvmFlags, main.getName());
    }

    /** The same, for a main class named rather than linked: one in a package above the caller's. */
    public static List<String> command(List<String> jvmFlags, String main) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(inherited());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        return cmd;
    }
}
