package slimbench.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every power sensor below {@code /sys} that this machine has, which of them can be read, and
 * which rails together are the whole device.
 *
 * <p>Found once per fork (and once for {@code conditions.csv}); a sensor whose file exists but
 * cannot be read (RAPL without root) or does not hold a number is left out of the rails and
 * named in {@link #problems()}, so that a run says why it has no energy instead of failing.
 * NVIDIA desktop GPUs are not here: their power comes through the {@link NvidiaSmi} stream.
 */
final class PowerSensors {

    /**
     * Which Jetson rails sum to the whole board, from energymon's table of INA3221 channels
     * ({@code jetson/JetsonPowerRails.md}, after NVIDIA's L4T 32.6.1 and 34.1 developer guides):
     * the first rule whose rails are all present wins. The module input where there is one
     * (Nano POM_5V_IN; TX1/TX2 VDD_IN with the carrier board's VDD_MUX in parallel; Xavier NX,
     * TX2 NX, Orin NX/Nano VDD_IN); where there is none, the parallel rails (AGX Xavier; AGX Orin,
     * whose VDDQ_VDD2_1V8AO is fed from VIN_SYS_5V0 and so not added).
     */
    record BoardRule(List<String> rails, String board) {
    }

    static final List<BoardRule> JETSON_BOARDS = List.of(
        new BoardRule(List.of("POM_5V_IN"), "Jetson Nano module input"),
        new BoardRule(List.of("VDD_IN", "VDD_MUX"), "Jetson TX1/TX2 module and carrier board inputs"),
        new BoardRule(List.of("VDD_IN"), "Jetson module input (Xavier NX, TX2 NX, Orin NX/Nano)"),
        new BoardRule(List.of("5V_IN"), "Jetson Xavier NX module input"),
        new BoardRule(List.of("GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V"), "Jetson AGX Xavier, all rails in parallel"),
        new BoardRule(List.of("VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"), "Jetson AGX Orin, rails in parallel"));

    static final String TABLE = "rails per energymon jetson/JetsonPowerRails.md";

    /** What discovery collects: the usable rails and the reasons for the unusable ones. */
    static final class Found {
        private final Predicate<Path> readable;
        private final List<PowerRail> rails = new ArrayList<>();
        private final List<String> jetson = new ArrayList<>();
        private final List<String> cpu = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        private Found(Predicate<Path> readable) {
            this.readable = readable;
        }

        /** A Jetson INA3221 rail, see {@link #add}. */
        void addJetson(PowerRail rail, List<Path> files) {
            add(rail, files, jetson);
        }

        /** A CPU energy counter, see {@link #add}. */
        void addCpu(PowerRail rail, List<Path> files) {
            add(rail, files, cpu);
        }

        /** Adds a rail if every one of its files reads as a number; a second rail of the same name is dropped. */
        private void add(PowerRail rail, List<Path> files, List<String> source) {
            for (Path file : files) {
                Optional<String> problem = problem(file, readable);
                if (problem.isPresent()) {
                    problems.add(rail.name() + ": " + problem.get());
                    return;
                }
            }
            if (names.add(rail.name())) {
                rails.add(rail);
                source.add(rail.name());
            }
        }
    }

    private final List<PowerRail> rails;
    private final List<String> whole;
    private final String wholeDescription;
    private final List<String> problems;

    private PowerSensors(Found found) {
        this.rails = List.copyOf(found.rails);
        List<String> notes = new ArrayList<>(found.problems);
        List<String> total = new ArrayList<>();
        List<String> described = new ArrayList<>();
        if (!found.jetson.isEmpty()) {
            Optional<BoardRule> rule = JETSON_BOARDS.stream().filter(r -> found.jetson.containsAll(r.rails())).findFirst();
            if (rule.isPresent()) {
                total.addAll(rule.get().rails());
                described.add(String.join(" + ", rule.get().rails()) + " (" + rule.get().board() + "; " + TABLE + ")");
            } else {
                notes.add("no Jetson rail known to cover the whole board among " + String.join(", ", found.jetson)
                    + " (" + TABLE + "), so no Jetson total");
            }
        }
        List<String> cpuWhole = CpuEnergy.whole(found.cpu);
        if (!cpuWhole.isEmpty()) {
            total.addAll(cpuWhole);
            described.add(String.join(" + ", cpuWhole) + " (CPU energy counters)");
        }
        this.problems = List.copyOf(notes);
        this.whole = List.copyOf(total);
        this.wholeDescription = String.join("; ", described);
    }

    /** The sensors below the {@code sys} root, checked with the JVM's own access test. */
    static PowerSensors find(Path sys) {
        return find(sys, Files::isReadable);
    }

    /** @param readable the access test, which tests replace: running as root, no file is unreadable */
    static PowerSensors find(Path sys, Predicate<Path> readable) {
        Found found = new Found(readable);
        JetsonPowerMonitor.find(sys, found);
        CpuEnergy.find(sys, found);
        return new PowerSensors(found);
    }

    List<PowerRail> rails() {
        return rails;
    }

    /** The rails whose sum is the device's draw, in rail order; empty when no rule applies. */
    List<String> whole() {
        return whole;
    }

    /** Which rails make the total and on what authority, for {@code conditions.csv}; empty when none. */
    String wholeDescription() {
        return wholeDescription;
    }

    /** One line per sensor that exists but cannot be used (which file, and why), and per unknown board. */
    List<String> problems() {
        return problems;
    }

    /** Every rail with the file it is read from, for {@code doctor} and {@code conditions.csv}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        rails.forEach(r -> parts.add(r.name() + " readable (" + r.where() + ")"));
        problems.forEach(parts::add);
        return parts.isEmpty() ? "" : String.join("; ", parts);
    }

    /** A rail name safe inside a metric label: letters, digits, '_', '-' and '.' only. */
    static String safeName(String raw) {
        return raw.trim().replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Why a sensor file cannot be used, or empty when it reads as a number now. */
    static Optional<String> problem(Path file, Predicate<Path> readable) {
        if (!Files.exists(file)) {
            return Optional.of(file + " is missing");
        }
        if (!readable.test(file)) {
            return Optional.of(file + " is not readable by this user (" + permissions(file) + ")");
        }
        return new ProcFile(file).readLong().isPresent() ? Optional.empty()
            : Optional.of(file + " does not read as a number");
    }

    private static String permissions(Path file) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            return "mode " + PosixFilePermissions.toString(a.permissions()) + ", owner " + a.owner().getName()
                + (a.owner().getName().equals("root") ? "; run as root to measure energy" : "");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "permission denied";
        }
    }
}
