package slimbench.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * TensorFlow's native INFO and WARNING lines (oneDNN on, CPU instructions, ...) off in this JVM
 * unless {@code --verbose}: TensorFlow reads {@code TF_CPP_MIN_LOG_LEVEL} from the C environment
 * when it first logs, after its natives load, so setting it in this process's own environment
 * (libc {@code setenv}, through JNA, which OSHI already brings) before the load is enough; the
 * cells' processes get it from {@code CellProcess}. A value the user set is kept.
 *
 * <p>One line cannot be silenced this way: "MLIR V1 optimization pass is not enabled", which
 * TensorFlow logs once per process through Abseil's logging (with Abseil's own "All log messages
 * before absl::InitializeLog()" notice); Abseil takes no environment variable and its setters are
 * not exported from TensorFlow's libraries.
 */
final class TensorFlowLog {
    static final String LEVEL = "TF_CPP_MIN_LOG_LEVEL";
    /** 2: errors only. */
    static final String QUIET = "2";
    /** Read by {@code CellProcess}: with --verbose the cells keep TensorFlow's log lines too. */
    static final String VERBOSE_PROPERTY = "slimbench.verbose";

    private interface C extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private TensorFlowLog() {}

    static void configure(boolean verbose) {
        if (verbose) {
            System.setProperty(VERBOSE_PROPERTY, "true");
            return;
        }
        try {
            Native.load("c", C.class).setenv(LEVEL, QUIET, 0);
        } catch (LinkageError | RuntimeException e) {
            // No libc to call (not Linux): TensorFlow's lines are printed, nothing else changes.
        }
    }
}
