package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConditionsTest {

    /** Recorded tool outputs, by tool name; every other tool is "not installed". */
    private static Function<List<String>, Optional<String>> tools(Map<String, String> outputs, List<String> asked) {
        return command -> {
            asked.add(command.get(0));
            return Optional.ofNullable(outputs.get(command.get(0)));
        };
    }

    @Test
    void jetsonNanoConditions() {
        List<String> asked = new ArrayList<>();
        Map<String, String> c = RunConditions.collect(Trees.roots(Trees.JETSON_NANO), tools(Map.of(), asked));
        assertEquals("jetson-nano", c.get("host.name"));
        assertEquals("ARMv8 Processor rev 1 (v8l)", c.get("cpu.model"));
        assertEquals("asimd", c.get("cpu.flags"), "a Cortex-A57 has no half-precision SIMD");
        assertEquals("4", c.get("cpu.cores.physical"));
        assertEquals("4", c.get("cpu.cores.logical"));
        assertEquals("schedutil", c.get("cpu.governor"));
        assertEquals("1479 MHz", c.get("cpu.freq"));
        assertEquals("1479 MHz", c.get("cpu.freq.max"));
        assertEquals("3964 MiB", c.get("mem.total"));
        assertEquals("1982 MiB", c.get("swap.total"));
        assertEquals("1982 MiB in 4 devices", c.get("swap.zram"));
        assertEquals("Ubuntu 18.04.6 LTS", c.get("os.name"));
        assertEquals("4.9.253-tegra", c.get("os.kernel"));
        assertEquals("2.27", c.get("glibc.version"), "from the libc file name in /proc/self/maps");
        assertFalse(asked.contains("getconf"), "no tool needed when maps names the version");
        assertEquals("R32.7.1", c.get("jetson.l4t"));
        assertEquals("JetPack 4 (Ubuntu 18.04, CUDA 10.2)", c.get("jetson.jetpack"));
        assertEquals("NVIDIA Jetson Nano Developer Kit", c.get("jetson.model"));
        assertEquals("MAXN (0)", c.get("jetson.power.mode"));
        assertEquals("921.6 MHz", c.get("jetson.gpu.freq"));
        assertEquals("921.6 MHz", c.get("jetson.gpu.freq.max"));
        assertEquals("1600 MHz", c.get("jetson.emc.freq"));
        assertFalse(c.containsKey("gpu.nvidia"));
        assertTrue(c.get("jvm.version").length() > 0);
        assertTrue(c.get("jvm.heap.max").endsWith(" MiB"));
    }

    @Test
    void pcConditionsWithNvidiaSmiAndGetconf() {
        List<String> asked = new ArrayList<>();
        Map<String, String> c = RunConditions.collect(Trees.roots(Trees.PC), tools(Map.of(
            "getconf", "glibc 2.39",
            "nvidia-smi", "NVIDIA GeForce RTX 4070, 12282 MiB, 550.107.02\n"), asked));
        assertEquals("bench-pc", c.get("host.name"));
        assertEquals("AMD Ryzen 5 7600 6-Core Processor", c.get("cpu.model"));
        assertEquals("avx2 fma avx512f avx512_bf16", c.get("cpu.flags"));
        assertEquals("6", c.get("cpu.cores.physical"));
        assertEquals("12", c.get("cpu.cores.logical"));
        assertEquals("powersave", c.get("cpu.governor"));
        assertEquals("3800 MHz", c.get("cpu.freq"));
        assertEquals("5172 MHz", c.get("cpu.freq.max"));
        assertEquals("32034 MiB", c.get("mem.total"));
        assertEquals("8191 MiB", c.get("swap.total"));
        assertFalse(c.containsKey("swap.zram"), "a swap file is not zram");
        assertEquals("Ubuntu 24.04.1 LTS", c.get("os.name"));
        assertEquals("6.8.0-45-generic", c.get("os.kernel"));
        assertEquals("2.39", c.get("glibc.version"));
        assertEquals("NVIDIA GeForce RTX 4070, 12282 MiB, 550.107.02", c.get("gpu.nvidia"));
        assertTrue(c.keySet().stream().noneMatch(k -> k.startsWith("jetson.")), c.keySet().toString());
    }

    @Test
    void powerSensorsAndTheRailsOfTheTotalAreRecorded() {
        Map<String, String> nano = RunConditions.collect(Trees.roots(Trees.JETSON_NANO), tools(Map.of(), new ArrayList<>()));
        assertTrue(nano.get("power.sensors").startsWith("POM_5V_IN readable (")
            && nano.get("power.sensors").contains("in_power0_input"), nano.get("power.sensors"));
        assertTrue(nano.get("power.total").startsWith("POM_5V_IN (Jetson Nano module input; rails per energymon"),
            nano.get("power.total"));

        Map<String, String> pc = RunConditions.collect(Trees.roots(Trees.PC), tools(Map.of(), new ArrayList<>()));
        assertTrue(pc.get("power.sensors").startsWith("none found: no Jetson INA3221"), pc.get("power.sensors"));
        assertFalse(pc.containsKey("power.total"));

        Function<List<String>, Optional<String>> smi = command -> command.get(0).equals("nvidia-smi")
            && command.contains("--query-gpu=index,power.draw") ? Optional.of("0, 109.74\n1, [N/A]\n") : Optional.empty();
        Map<String, String> gpu = RunConditions.collect(Trees.roots(Trees.PC), smi);
        assertEquals("gpu0 readable (nvidia-smi power.draw, 109.74 W now); gpu1: nvidia-smi reports no power.draw ([N/A])",
            gpu.get("power.sensors"));
        assertEquals("gpu0 (NVIDIA GPU board power)", gpu.get("power.total"));
    }

    @Test
    void anUnreadableCounterIsNamedWithItsFileAndThereIsNoTotal(@TempDir Path dir) throws IOException {
        Path tree = Trees.copy(Trees.PC, dir);
        Path zone = Files.createDirectories(tree.resolve("sys/class/powercap/intel-rapl:0"));
        Files.writeString(zone.resolve("name"), "package-0\n");
        Files.writeString(zone.resolve("energy_uj"), "\n"); // exists, but holds no number
        Map<String, String> c = RunConditions.collect(Roots.under(tree), tools(Map.of(), new ArrayList<>()));
        assertEquals("package-0: " + zone.resolve("energy_uj") + " does not read as a number", c.get("power.sensors"));
        assertEquals("none: no readable rail covers the whole device; energy is not measured", c.get("power.total"));
    }

    @Test
    void keysComeInAStableOrder() {
        Map<String, String> c = RunConditions.collect(Trees.roots(Trees.PC), tools(Map.of(), new ArrayList<>()));
        List<String> keys = List.copyOf(c.keySet());
        assertEquals(List.of("host.name", "cpu.model", "cpu.flags", "cpu.cores.physical", "cpu.cores.logical",
            "cpu.governor", "cpu.freq", "cpu.freq.max", "mem.total", "swap.total", "os.name", "os.kernel"),
            keys.subList(0, 12));
    }

    @Test
    void brokenAndEmptyTreesLeaveKeysOutWithoutFailing(@TempDir Path dir) throws IOException {
        for (Roots roots : new Roots[] {Trees.roots(Trees.BROKEN), Trees.empty(dir)}) {
            Map<String, String> c = RunConditions.collect(roots, tools(Map.of(), new ArrayList<>()));
            for (String key : List.of("cpu.model", "cpu.flags", "mem.total", "glibc.version", "jetson.l4t",
                    "jetson.jetpack", "jetson.cells", "jetson.power.mode", "jetson.gpu.freq", "jetson.emc.freq", "cpu.governor")) {
                assertFalse(c.containsKey(key), key + " in " + c);
            }
            assertTrue(c.containsKey("jvm.version"), "the JVM keys never depend on the tree");
        }
    }

    @Test
    void liveMachine() {
        Map<String, String> c = RunConditions.collect();
        assertTrue(Integer.parseInt(c.get("cpu.cores.logical")) >= 1);
        assertTrue(c.get("mem.total").endsWith(" MiB"));
        assertTrue(c.containsKey("os.kernel"));
    }
}
