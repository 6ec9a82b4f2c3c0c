package slimbench.probe;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU's energy counters: RAPL through powercap, and AMD's {@code amd_energy} hwmon driver.
 *
 * <p>powercap lists every zone flat under {@code class/powercap}: {@code intel-rapl:0} is package 0
 * ({@code name} "package-0"), {@code intel-rapl:0:2} a subzone of it ("dram", "core", "uncore"),
 * and on laptops a top-level "psys" covers the whole platform. AMD's RAPL appears there too on
 * recent kernels. Each has {@code energy_uj}, wrapping at {@code max_energy_range_uj}. Since Linux
 * 5.10 (CVE-2020-8694) {@code energy_uj} is readable by root only on most distributions, which
 * is reported rather than failed on. The {@code intel-rapl-mmio} zones repeat the package counter
 * through another interface and are skipped so that it is not counted twice. {@code amd_energy}
 * (Linux 5.8 to 5.12) has {@code energy<N>_input} in uJ labelled {@code Esocket<S>} and
 * {@code Ecore<C>}; only the sockets are taken, as they contain the cores.
 */
final class CpuEnergy {

    static final String POWERCAP = "class/powercap";
    static final String HWMON = "class/hwmon";

    private CpuEnergy() {
    }

    static void find(Path sys, PowerSensors.Found found) {
        Map<String, String> zoneNames = new HashMap<>();
        for (Path zone : Dirs.list(sys.resolve(POWERCAP), "intel-rapl:*")) {
            String id = zone.getFileName().toString().substring("intel-rapl:".length());
            Optional<String> name = new ProcFile(zone.resolve("name")).text().map(PowerSensors::safeName);
            if (name.isEmpty()) {
                continue;
            }
            zoneNames.put(id, name.get());
            int colon = id.indexOf(':');
            String full = colon < 0 ? name.get()
                : zoneNames.getOrDefault(id.substring(0, colon), "zone" + id.substring(0, colon)) + "." + name.get();
            Path energy = zone.resolve("energy_uj");
            OptionalLong range = new ProcFile(zone.resolve("max_energy_range_uj")).readLong();
            found.addCpu(new PowerRail.Counter(full, energy.toString(), new ProcFile(energy), range.orElse(0)),
                List.of(energy));
        }
        for (Path hwmon : Dirs.list(sys.resolve(HWMON), "hwmon*")) {
            if (!new ProcFile(hwmon.resolve("name")).text().orElse("").equals("amd_energy")) {
                continue;
            }
            for (Path label : Dirs.list(hwmon, "energy*_label")) {
                Optional<String> name = new ProcFile(label).text().filter(n -> n.startsWith("Esocket"));
                if (name.isPresent()) {
                    String file = label.getFileName().toString();
                    Path energy = hwmon.resolve(file.substring(0, file.length() - "_label".length()) + "_input");
                    found.addCpu(new PowerRail.Counter(PowerSensors.safeName(name.get()), energy.toString(),
                        new ProcFile(energy), 0), List.of(energy));
                }
            }
        }
    }

    /**
     * The zones that together are the CPU's whole draw: psys where it exists (it contains the
     * packages), else every package with its DRAM subzone (DRAM is outside the package domain),
     * or amd_energy's sockets.
     */
    static List<String> whole(List<String> names) {
        if (names.contains("psys")) {
            return List.of("psys");
        }
        return names.stream().filter(n -> n.matches("package-\\d+") || n.matches("package-\\d+\\.dram")
            || n.equals("dram") || n.matches("Esocket\\d+")).toList();
    }
}
