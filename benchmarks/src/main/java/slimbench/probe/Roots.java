package slimbench.probe;

import java.nio.file.Path;

/**
 * Where the kernel and system files are read from.
 *
 * <p>Production reads {@code /proc}, {@code /sys}, {@code /etc} and {@code /var}; tests point the
 * readers at recorded trees, either through the constructor or, for a forked benchmark JVM,
 * through the system properties {@code slimbench.proc}, {@code slimbench.sys},
 * {@code slimbench.etc} and {@code slimbench.var}.
 */
public record Roots(Path proc, Path sys, Path etc, Path var) {

    /** The roots named by the {@code slimbench.*} system properties, {@code /proc} etc. by default. */
    public static Roots system() {
        return new Roots(
            Path.of(System.getProperty("slimbench.proc", "/proc")),
            Path.of(System.getProperty("slimbench.sys", "/sys")),
            Path.of(System.getProperty("slimbench.etc", "/etc")),
            Path.of(System.getProperty("slimbench.var", "/var")));
    }

    /** A recorded tree with {@code proc}, {@code sys}, {@code etc} and {@code var} below one folder. */
    public static Roots under(Path tree) {
        return new Roots(tree.resolve("proc"), tree.resolve("sys"), tree.resolve("etc"), tree.resolve("var"));
    }
}
