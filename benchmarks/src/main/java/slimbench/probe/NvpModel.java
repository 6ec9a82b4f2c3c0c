package slimbench.probe;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jetson power mode, read from the files {@code nvpmodel} itself keeps, so neither root nor
 * the {@code nvpmodel} binary is needed: {@code /var/lib/nvpmodel/status} holds the active mode as
 * {@code pmode:0000}, and {@code /etc/nvpmodel.conf} names it
 * ({@code < POWER_MODEL ID=0 NAME=MAXN >}). Numbers taken in 5W mode are not comparable with MAXN.
 */
final class NvpModel {

    private static final Pattern STATUS = Pattern.compile("pmode:\\s*(\\d+)");
    private static final String MODEL = "<\\s*POWER_MODEL\\s+ID=%d\\s+NAME=([^\\s>]+)";

    private NvpModel() {
    }

    /** The active mode id, absent when the status file is missing or unreadable. */
    static Optional<Integer> modeId(Roots roots) {
        return new ProcFile(roots.var().resolve("lib").resolve("nvpmodel").resolve("status")).text()
            .map(STATUS::matcher)
            .filter(Matcher::find)
            .flatMap(m -> parseInt(m.group(1)));
    }

    /** The active mode as "NAME (id)", or just the id when the configuration does not name it. */
    static Optional<String> powerMode(Roots roots) {
        return modeId(roots).map(id -> modeName(roots, id).map(name -> name + " (" + id + ")").orElse(String.valueOf(id)));
    }

    private static Optional<String> modeName(Roots roots, int id) {
        Pattern model = Pattern.compile(String.format(MODEL, id));
        return new ProcFile(roots.etc().resolve("nvpmodel.conf")).text()
            .map(model::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1));
    }

    private static Optional<Integer> parseInt(String digits) {
        try {
            return Optional.of(Integer.parseInt(digits));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
