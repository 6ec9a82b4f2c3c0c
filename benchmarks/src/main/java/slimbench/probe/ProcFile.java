package slimbench.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One small kernel file, re-read into the same buffer on every {@link #reload()}.
 *
 * <p>The sampler reads a handful of these every few milliseconds for the whole iteration, so the
 * numbers are parsed straight from the bytes instead of through Strings. procfs and sysfs files
 * report a size of zero, hence the read-until-end loop. Every failure (missing file, no
 * permission, a number that does not parse) answers "absent": a probe must never fail the
 * benchmark, and must never turn a missing value into a zero.
 */
final class ProcFile {

    /** More digits than this cannot be a long; treat them as malformed rather than overflow. */
    private static final int MAX_DIGITS = 18;

    private final Path path;
    private byte[] buf = new byte[4096];
    private int len = -1;

    ProcFile(Path path) {
        this.path = path;
    }

    /** Reads the file again; false (and everything absent) when it cannot be read. */
    boolean reload() {
        len = -1;
        try (InputStream in = Files.newInputStream(path)) {
            int n = 0;
            for (int r; (r = in.read(buf, n, buf.length - n)) > 0; ) {
                n += r;
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            len = n;
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The whole file as text, trimmed; absent when unreadable or blank. */
    Optional<String> text() {
        if (!reload()) {
            return Optional.empty();
        }
        String s = new String(buf, 0, len, StandardCharsets.UTF_8).trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** Reloads and parses a file holding one integer, as most sysfs attributes do. */
    OptionalLong readLong() {
        if (!reload()) {
            return OptionalLong.empty();
        }
        int start = skipSpaces(0, len);
        int end = tokenEnd(start);
        return skipSpaces(end, len) == len ? parse(start, end) : OptionalLong.empty();
    }

    /**
     * The first number on the line that starts with {@code key} followed by ':' or a blank, as in
     * {@code /proc/meminfo} ("MemAvailable:  1120504 kB") and {@code /proc/vmstat} ("pswpin 12").
     * Works on the content of the last {@link #reload()}.
     */
    OptionalLong valueOf(String key) {
        for (int line = 0; line < len; line = nextLine(line)) {
            if (startsWith(line, key)) {
                int after = line + key.length();
                if (after < len && (buf[after] == ':' || buf[after] == ' ' || buf[after] == '\t')) {
                    int start = skipSpaces(after + (buf[after] == ':' ? 1 : 0), len);
                    return parse(start, tokenEnd(start));
                }
            }
        }
        return OptionalLong.empty();
    }

    /** {@link #valueOf} where a negative value cannot be true (a count, a size): absent then. */
    OptionalLong countOf(String key) {
        OptionalLong v = valueOf(key);
        return v.isPresent() && v.getAsLong() >= 0 ? v : OptionalLong.empty();
    }

    /** A size the kernel reports in kB ({@code MemAvailable}, {@code VmRSS}), in bytes. */
    OptionalLong bytesOfKib(String key) {
        OptionalLong v = countOf(key);
        return v.isPresent() ? OptionalLong.of(v.getAsLong() * 1024) : v;
    }

    /**
     * The n-th (0-based) blank-separated number after the last ')' of the file, the way
     * {@code /proc/[pid]/stat} must be read: the command name before it may hold blanks and parens.
     */
    OptionalLong fieldAfterLastParen(int n) {
        int paren = len - 1;
        while (paren >= 0 && buf[paren] != ')') {
            paren--;
        }
        if (paren < 0) {
            return OptionalLong.empty();
        }
        int start = skipSpaces(paren + 1, len);
        for (int i = 0; i < n && start < len; i++) {
            start = skipSpaces(tokenEnd(start), len);
        }
        return start < len ? parse(start, tokenEnd(start)) : OptionalLong.empty();
    }

    private boolean startsWith(int at, String key) {
        if (at + key.length() > len) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (buf[at + i] != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int nextLine(int at) {
        while (at < len && buf[at] != '\n') {
            at++;
        }
        return at + 1;
    }

    private int skipSpaces(int at, int end) {
        while (at < end && (buf[at] == ' ' || buf[at] == '\t' || buf[at] == '\n' || buf[at] == '\r')) {
            at++;
        }
        return at;
    }

    private int tokenEnd(int at) {
        while (at < len && buf[at] != ' ' && buf[at] != '\t' && buf[at] != '\n' && buf[at] != '\r') {
            at++;
        }
        return at;
    }

    /** A whole token of decimal digits, optionally negative; anything else is malformed. */
    private OptionalLong parse(int start, int end) {
        boolean negative = start < end && buf[start] == '-';
        int digits = negative ? start + 1 : start;
        if (digits == end || end - digits > MAX_DIGITS) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = digits; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return OptionalLong.empty();
            }
            value = value * 10 + d;
        }
        return OptionalLong.of(negative ? -value : value);
    }
}
