package slimbench.tensorrt;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TensorRT version, read from what {@code trtexec} prints: the number in its first line's
 * {@code [TensorRT v8201]} ({@code NV_TENSORRT_VERSION}: {@code major*1000+minor*100+patch} in 8.x,
 * {@code major*10000+minor*100+patch} from 10.0) or its {@code TensorRT version: 8.2.1} line.
 */
public record TrtVersion(int major, int minor, int patch) implements Comparable<TrtVersion> {
    /** The oldest TensorRT whose trtexec flags and formats were read for this runtime (JetPack 4.6's). */
    public static final TrtVersion OLDEST = new TrtVersion(8, 2, 0);

    private static final Pattern TAG = Pattern.compile("\\[TensorRT v(\\d{4,6})]");
    private static final Pattern LINE = Pattern.compile("TensorRT version: (\\d+)\\.(\\d+)\\.(\\d+)");

    /** The version a log names, by its version line, else by the number on its first line. */
    static Optional<TrtVersion> in(String log) {
        Matcher m = LINE.matcher(log);
        if (m.find()) {
            return Optional.of(new TrtVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        }
        Matcher t = TAG.matcher(log);
        return t.find() ? Optional.of(ofNumber(Integer.parseInt(t.group(1)))) : Optional.empty();
    }

    /** {@code NV_TENSORRT_VERSION} as trtexec prints it: 8201 is 8.2.1, 100300 is 10.3.0. */
    static TrtVersion ofNumber(int n) {
        return n >= 100_000 ? new TrtVersion(n / 10_000, n / 100 % 100, n % 100)
                : new TrtVersion(n / 1000, n / 100 % 10, n % 100);
    }

    public boolean atLeast(int otherMajor, int otherMinor) {
        return compareTo(new TrtVersion(otherMajor, otherMinor, 0)) >= 0;
    }

    @Override
    public int compareTo(TrtVersion o) {
        int c = Integer.compare(major, o.major);
        c = c != 0 ? c : Integer.compare(minor, o.minor);
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
