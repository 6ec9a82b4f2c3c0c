package slimbench.probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /proc/cpuinfo}, parsed once: model, flags and core counts. x86 calls the feature list
 * {@code flags}, ARM calls it {@code Features}; ARM has no {@code core id}, so there every
 * logical CPU is a core.
 */
record ProcCpuinfo(Optional<String> model, Set<String> flags, int logical, int physical) {

    /** Absent when the file is missing or holds no {@code processor} entry. */
    static Optional<ProcCpuinfo> read(Path proc) {
        Optional<String> text = new ProcFile(proc.resolve("cpuinfo")).text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> model = Optional.empty();
        Set<String> flags = new HashSet<>();
        Set<String> cores = new HashSet<>();
        List<String> processors = new ArrayList<>();
        String physicalId = "0";
        for (String line : text.get().split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> processors.add(value);
                case "model name", "Hardware" -> model = model.or(() -> Optional.of(value).filter(v -> !v.isEmpty()));
                case "flags", "Features" -> flags.addAll(List.of(value.split("\\s+")));
                case "physical id" -> physicalId = value;
                case "core id" -> cores.add(physicalId + "/" + value);
                default -> { }
            }
        }
        if (processors.isEmpty()) {
            return Optional.empty();
        }
        flags.remove("");
        int logical = processors.size();
        return Optional.of(new ProcCpuinfo(model, Set.copyOf(flags), logical, cores.isEmpty() ? logical : cores.size()));
    }
}
