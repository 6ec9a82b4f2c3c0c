package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;

/** The power sensors on recorded sysfs trees, with every figure worked out by hand in the comments. */
class PowerProbeTest {

    private static final String RAPL = "rapl";
    private static final String ORIN_NANO = "jetson-orin-nano";
    private static final Path PACKAGE = Path.of("sys/class/powercap/intel-rapl:0/energy_uj");

    /** A clock the test moves by hand, so that energy counters give exact watts. */
    private static final class Clock {
        long nanos = 1_000_000_000L;

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    private static List<String> names(PowerSensors s) {
        return s.rails().stream().map(PowerRail::name).toList();
    }

    private static Map<String, Double> sampleOnce(PowerSensors s) {
        PowerMeter meter = new PowerMeter(s.rails(), System::nanoTime);
        meter.start();
        meter.sample();
        return meter.means();
    }

    private static Map<String, Double> byLabel(List<Result> results) {
        Map<String, Double> out = new LinkedHashMap<>();
        results.forEach(r -> out.put(r.getLabel(), r.getScore()));
        return out;
    }

    @Test
    void nanoIioRailsReadTheDriversMilliwattsAndTheModuleInputIsTheTotal() {
        PowerSensors s = PowerSensors.find(Trees.roots(Trees.JETSON_NANO).sys());
        assertEquals(List.of("POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"), names(s));
        assertEquals(List.of("POM_5V_IN"), s.whole());
        assertTrue(s.wholeDescription().startsWith("POM_5V_IN (Jetson Nano module input"), s.wholeDescription());
        assertTrue(s.problems().isEmpty(), s.problems().toString());
        // in_power<C>_input in mW, preferred to in_voltage x in_current (5072 mV x 376 mA = 1907.07 mW).
        assertEquals(Map.of("POM_5V_IN", 1.907, "POM_5V_GPU", 0.040, "POM_5V_CPU", 0.389), sampleOnce(s));
    }

    @Test
    void orinHwmonRailsAreVoltsTimesAmpsWithoutTheShuntSum() {
        PowerSensors s = PowerSensors.find(Trees.roots(ORIN_NANO).sys());
        assertEquals(List.of("VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"), names(s), "in7 'sum of shunt voltages' has no current");
        assertEquals(List.of("VDD_IN"), s.whole());
        Map<String, Double> w = sampleOnce(s);
        assertEquals(5.016 * 1.248, w.get("VDD_IN"), 1e-12);          // 6.259968 W
        assertEquals(5.016 * 0.352, w.get("VDD_CPU_GPU_CV"), 1e-12);  // 1.765632 W
        assertEquals(5.016 * 0.616, w.get("VDD_SOC"), 1e-12);         // 3.089856 W
    }

    @Test
    void agxOrinSumsItsParallelRailsAndSkipsUnconnectedChannels(@TempDir Path dir) throws IOException {
        Path driver = dir.resolve("sys").resolve(JetsonPowerMonitor.HWMON_DRIVER);
        hwmonChannel(driver.resolve("1-0040/hwmon/hwmon1"), 1, "VDD_GPU_SOC", 19_000, 400);
        hwmonChannel(driver.resolve("1-0040/hwmon/hwmon1"), 2, "VDD_CPU_CV", 19_000, 200);
        hwmonChannel(driver.resolve("1-0040/hwmon/hwmon1"), 3, "VIN_SYS_5V0", 5_000, 600);
        hwmonChannel(driver.resolve("1-0041/hwmon/hwmon2"), 1, "NC", 0, 0);
        hwmonChannel(driver.resolve("1-0041/hwmon/hwmon2"), 2, "VDDQ_VDD2_1V8AO", 5_000, 100);
        PowerSensors s = PowerSensors.find(dir.resolve("sys"));
        assertEquals(List.of("VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"), names(s));
        assertEquals(List.of("VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"), s.whole(), "VDDQ is fed from VIN_SYS_5V0");
        // 19 V x 0.4 A + 19 V x 0.2 A + 5 V x 0.6 A = 7.6 + 3.8 + 3.0 = 14.4 W
        Energy e = new Energy(sampleOnce(s), Map.of(), s.whole());
        assertEquals(14.4, byLabel(e.results(OptionalDouble.empty(), false)).get("power.total.mean"), 1e-9);
    }

    @Test
    void railsOfAnUnknownBoardAreReportedButMakeNoTotal(@TempDir Path dir) throws IOException {
        hwmonChannel(dir.resolve("sys").resolve(JetsonPowerMonitor.HWMON_DRIVER).resolve("7-0040/hwmon/hwmon0"), 1,
            "VDD_SOMETHING", 5_000, 100);
        PowerSensors s = PowerSensors.find(dir.resolve("sys"));
        assertEquals(List.of("VDD_SOMETHING"), names(s));
        assertEquals(List.of(), s.whole());
        assertTrue(s.problems().get(0).startsWith("no Jetson rail known to cover the whole board"), s.problems().toString());
        Map<String, Double> r = byLabel(new Energy(sampleOnce(s), Map.of(), s.whole()).results(OptionalDouble.of(0.01), false));
        assertEquals(Map.of("power.VDD_SOMETHING.mean", 0.5), r, "the rail, but no total and no energy");
    }

    @Test
    void raplZonesAreNamedAfterTheirPackageAndTheMmioCopyIsSkipped() {
        PowerSensors s = PowerSensors.find(Trees.roots(RAPL).sys());
        assertEquals(List.of("package-0", "package-0.core", "package-0.dram"), names(s));
        assertEquals(List.of("package-0", "package-0.dram"), s.whole(), "DRAM is outside the package domain");
    }

    @Test
    void psysIsTheWholePlatformAndAmdEnergyCountsItsSockets(@TempDir Path dir) throws IOException {
        Path powercap = dir.resolve("sys").resolve(CpuEnergy.POWERCAP);
        zone(powercap.resolve("intel-rapl:0"), "package-0");
        zone(powercap.resolve("intel-rapl:1"), "psys");
        assertEquals(List.of("psys"), PowerSensors.find(dir.resolve("sys")).whole(), "psys contains the package");

        Path hwmon = dir.resolve("amd/sys").resolve(CpuEnergy.HWMON).resolve("hwmon2");
        Files.createDirectories(hwmon);
        Files.writeString(hwmon.resolve("name"), "amd_energy\n");
        Files.writeString(hwmon.resolve("energy1_label"), "Ecore000\n");
        Files.writeString(hwmon.resolve("energy1_input"), "1000\n");
        Files.writeString(hwmon.resolve("energy17_label"), "Esocket0\n");
        Files.writeString(hwmon.resolve("energy17_input"), "90000000\n");
        PowerSensors amd = PowerSensors.find(dir.resolve("amd/sys"));
        assertEquals(List.of("Esocket0"), names(amd), "the socket contains its cores");
        assertEquals(List.of("Esocket0"), amd.whole());
    }

    @Test
    void raplCountersWrapAtTheirRange(@TempDir Path dir) throws IOException {
        Path tree = Trees.copy(RAPL, dir);
        Clock clock = new Clock();
        PowerSensors s = PowerSensors.find(tree.resolve("sys"));
        PowerMeter meter = new PowerMeter(s.rails(), () -> clock.nanos);
        meter.start();
        Files.writeString(tree.resolve(PACKAGE), "20000000\n"); // wrapped past 262143328850
        Files.writeString(tree.resolve("sys/class/powercap/intel-rapl:0:0/energy_uj"), "151020000000\n");
        Files.writeString(tree.resolve("sys/class/powercap/intel-rapl:0:1/energy_uj"), "65010000000\n");
        clock.advance(Duration.ofSeconds(2));
        meter.sample();
        Map<String, Double> w = meter.means();
        // (262143328850 - 262100000000) + 20000000 = 63328850 uJ in 2 s = 31.664425 W
        assertEquals(31.664425, w.get("package-0"), 1e-9);
        assertEquals(10.0, w.get("package-0.core"), 1e-9);  // 20 J in 2 s
        assertEquals(5.0, w.get("package-0.dram"), 1e-9);   // 10 J in 2 s
        Map<String, Double> r = byLabel(new Energy(w, Map.of("package-0", 6.664425, "package-0.dram", 2.0), s.whole())
            .results(OptionalDouble.of(0.025), false));
        assertEquals(36.664425, r.get("power.total.mean"), 1e-9);
        assertEquals(8.664425, r.get("power.total.idle"), 1e-9);
        assertEquals(36.664425 * 25, r.get("energy.per_inference"), 1e-6);             // W x 25 ms = 916.610625 mJ
        assertEquals(28.0 * 25, r.get("energy.per_inference.above_idle"), 1e-6);       // 700 mJ
    }

    @Test
    void countersAcrossManySamplesAddUpAndABackwardsReadingLosesTheRail(@TempDir Path dir) throws IOException {
        Path tree = Trees.copy(RAPL, dir);
        Clock clock = new Clock();
        PowerMeter meter = new PowerMeter(PowerSensors.find(tree.resolve("sys")).rails(), () -> clock.nanos);
        meter.start();
        for (long uj : new long[] {262140000000L, 1000000L, 3000000L}) { // +40 J, +4.32885 J across the wrap, +2 J
            Files.writeString(tree.resolve(PACKAGE), uj + "\n");
            clock.advance(Duration.ofSeconds(1));
            meter.sample();
        }
        Files.writeString(tree.resolve("sys/class/powercap/intel-rapl:0:1/energy_uj"), "garbage\n");
        meter.sample(); // at the same instant: the package's window stays 3 s
        Map<String, Double> w = meter.means();
        assertEquals((40_000_000 + 4_328_850 + 2_000_000) / 1e6 / 3, w.get("package-0"), 1e-9);
        assertFalse(w.containsKey("package-0.dram"), "an unreadable reading leaves the rail out, not at zero");
        PowerRail.Counter noRange = new PowerRail.Counter("Esocket0", "x", null, 0);
        assertEquals(OptionalLong.empty(), noRange.between(500, 100), "no range: backwards is malformed");
        assertEquals(OptionalLong.of(400), noRange.between(100, 500));
    }

    @Test
    void unreadableSensorsAreNamedWithTheirFileAndLeftOut(@TempDir Path dir) throws IOException {
        Path tree = Trees.copy(RAPL, dir);
        // Running as root nothing is unreadable, so the access test is the one a non-root user would see.
        PowerSensors nonRoot = PowerSensors.find(tree.resolve("sys"), p -> !p.getFileName().toString().equals("energy_uj"));
        assertEquals(List.of(), nonRoot.rails());
        assertEquals(List.of(), nonRoot.whole());
        assertTrue(nonRoot.problems().get(0).startsWith("package-0: " + tree.resolve(PACKAGE) + " is not readable by this user (mode "),
            nonRoot.problems().get(0));

        Files.writeString(tree.resolve(PACKAGE), "n/a\n");
        Path dram = tree.resolve("sys/class/powercap/intel-rapl:0:1/energy_uj");
        Files.delete(dram);
        Files.createDirectory(dram); // a file that exists but cannot be read as one
        PowerSensors s = PowerSensors.find(tree.resolve("sys"));
        assertEquals(List.of("package-0.core"), names(s));
        assertEquals(List.of(
            "package-0: " + tree.resolve(PACKAGE) + " does not read as a number",
            "package-0.dram: " + dram + " does not read as a number"), s.problems());
        assertEquals(List.of(), s.whole(), "without the package there is no CPU total");
    }

    @Test
    void energyPerInferenceAndPerShotFromHandValues() {
        Energy e = new Energy(Map.of("POM_5V_IN", 5.0, "POM_5V_GPU", 2.0), Map.of("POM_5V_IN", 1.5, "POM_5V_GPU", 0.1),
            List.of("POM_5V_IN"));
        Map<String, Double> steady = byLabel(e.results(OptionalDouble.of(0.040), false));
        assertEquals(5.0, steady.get("power.POM_5V_IN.mean"));
        assertEquals(0.1, steady.get("power.POM_5V_GPU.idle"));
        assertEquals(200.0, steady.get("energy.per_inference"), 1e-9);             // 5 W x 40 ms
        assertEquals(140.0, steady.get("energy.per_inference.above_idle"), 1e-9);  // 3.5 W x 40 ms
        assertFalse(steady.containsKey("energy.shot"));
        Map<String, Double> shot = byLabel(e.results(OptionalDouble.of(2.5), true));
        assertEquals(12.5, shot.get("energy.shot"), 1e-9);                         // 5 W x 2.5 s
        assertEquals(8.75, shot.get("energy.shot.above_idle"), 1e-9);              // 3.5 W x 2.5 s
        assertFalse(shot.containsKey("energy.per_inference"));
        List<Result> results = e.results(OptionalDouble.of(0.040), false);
        assertEquals("mJ", results.stream().filter(r -> r.getLabel().equals("energy.per_inference")).findFirst()
            .orElseThrow().getScoreUnit());
        assertEquals("W", results.get(0).getScoreUnit());
    }

    @Test
    void theProfilerReportsRailsIdleAndTotalFromTheSameSampler(@TempDir Path dir) throws Exception {
        Path tree = Trees.copy(Trees.JETSON_NANO, dir);
        MemoryProfiler profiler = new MemoryProfiler(Roots.under(tree), Duration.ofMillis(2), Duration.ofMillis(300),
            Optional.empty());
        long t0 = System.nanoTime();
        profiler.beforeIteration(null, null);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos(), "idle measured before the first iteration");
        Thread.sleep(50);
        Map<String, Double> r = byLabel(List.copyOf(profiler.afterIteration(null, null, null)));
        assertEquals(1.907, r.get("power.POM_5V_IN.mean"), 1e-12);
        assertEquals(1.907, r.get("power.POM_5V_IN.idle"), 1e-12);
        assertEquals(0.389, r.get("power.POM_5V_CPU.mean"), 1e-12);
        assertEquals(1.907, r.get("power.total.mean"), 1e-12);
        assertEquals(1.907, r.get("power.total.idle"), 1e-12);
        assertTrue(r.containsKey("mem.rss.peak"), "memory still sampled by the same profiler");
        assertFalse(r.containsKey("energy.per_inference"), "no JMH result, no time per inference");

        long t1 = System.nanoTime();
        profiler.beforeIteration(null, null);
        assertTrue(System.nanoTime() - t1 < Duration.ofMillis(300).toNanos(), "idle only once per fork");
        profiler.afterIteration(null, null, null);
    }

    @Test
    void withoutSensorsThereIsNoIdleWaitAndNoPowerRow() throws Exception {
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.PC), Duration.ofMillis(2), Duration.ofSeconds(30),
            Optional.empty());
        long t0 = System.nanoTime();
        profiler.beforeIteration(null, null);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the idle wait is skipped at once");
        Map<String, Double> r = byLabel(List.copyOf(profiler.afterIteration(null, null, null)));
        assertTrue(r.keySet().stream().noneMatch(k -> k.startsWith("power.") || k.startsWith("energy.")), r.keySet().toString());
    }

    @Test
    void theBenchmarkRestartsThePowerWindowAfterItsSetup(@TempDir Path dir) throws Exception {
        Path tree = Trees.copy(RAPL, dir);
        MemoryProfiler profiler = new MemoryProfiler(Roots.under(tree), Duration.ofMillis(2), Optional.empty());
        profiler.beforeIteration(null, null);
        Files.writeString(tree.resolve(PACKAGE), "262140000000\n"); // 40 J spent loading the model
        MemoryProfiler.startPowerWindow();
        Thread.sleep(3 * Sampler.DEVICE_PERIOD_MS); // the sampler opens the new window at its next device tick
        Map<String, Double> r = byLabel(List.copyOf(profiler.afterIteration(null, null, null)));
        assertEquals(0.0, r.get("power.package-0.mean"), "the counter did not move after the setup");
    }

    @Test
    void nvidiaSmiPowerDrawOfTheRecordedH200() throws Exception {
        // Real `-lms 100` output of memory.used, memory.total, power.draw; the stream adds the index in front.
        List<String> lines = Files.readAllLines(Trees.path("nvidia-smi-h200").resolve("nvidia-smi-stream-power.txt"));
        assertEquals(Optional.of(new NvidiaSmi.Reading(0, 883, 143771, OptionalDouble.of(700.51))),
            NvidiaSmi.Reading.parse("0, " + lines.get(39)));
        assertEquals(OptionalDouble.empty(), NvidiaSmi.Reading.parse("1, 0, 24564, [N/A]").orElseThrow().watts(),
            "a GPU without a power sensor still reports its memory");
        Path dir = Files.createTempDirectory("smi");
        Path file = dir.resolve("stream.txt");
        Files.write(file, lines.stream().map(l -> "0, " + l).toList());
        Path exe = dir.resolve("nvidia-smi");
        Files.writeString(exe, "#!/bin/sh\ncat '" + file + "'\necho '1, 0, 24564, [N/A]'\nsleep 5\n");
        assertTrue(exe.toFile().setExecutable(true));
        NvidiaSmi smi = NvidiaSmi.start(NvidiaSmi.query(exe.toString(), Duration.ofMillis(100))).orElseThrow();
        Thread.sleep(500);
        smi.close();
        // The mean of the 81 recorded readings: 31698.07 W / 81 (awk over the file).
        assertEquals(Map.of("gpu0", 391.334198), round6(smi.meanWatts()));
        assertEquals(OptionalLong.of(883), smi.maxUsedMiB());
    }

    private static Map<String, Double> round6(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Math.round(v * 1e6) / 1e6));
        return out;
    }

    private static void zone(Path zone, String name) throws IOException {
        Files.createDirectories(zone);
        Files.writeString(zone.resolve("name"), name + "\n");
        Files.writeString(zone.resolve("energy_uj"), "1000\n");
        Files.writeString(zone.resolve("max_energy_range_uj"), "262143328850\n");
    }

    private static void hwmonChannel(Path hwmon, int channel, String label, long millivolts, long milliamps)
            throws IOException {
        Files.createDirectories(hwmon);
        Files.writeString(hwmon.resolve("in" + channel + "_label"), label + "\n");
        Files.writeString(hwmon.resolve("in" + channel + "_input"), millivolts + "\n");
        Files.writeString(hwmon.resolve("curr" + channel + "_input"), milliamps + "\n");
    }
}
