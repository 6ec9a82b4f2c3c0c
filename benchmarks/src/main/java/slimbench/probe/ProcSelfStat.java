package slimbench.probe;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code /proc/self/stat}: the major page faults of this process. On a board that is short of
 * memory the kernel drops mapped model weights and code and faults them back from disk, so a
 * rising count is pressure even when no swap is configured.
 */
final class ProcSelfStat {

    /** majflt is field 12 of stat(5); fields after the ')' of the command name start at 3. */
    private static final int MAJFLT_AFTER_PAREN = 12 - 3;

    private final ProcFile file;

    ProcSelfStat(Path proc) {
        file = new ProcFile(proc.resolve("self").resolve("stat"));
    }

    OptionalLong majorFaults() {
        return file.reload() ? nonNegative(file.fieldAfterLastParen(MAJFLT_AFTER_PAREN)) : OptionalLong.empty();
    }

    private static OptionalLong nonNegative(OptionalLong v) {
        return v.isPresent() && v.getAsLong() >= 0 ? v : OptionalLong.empty();
    }
}
