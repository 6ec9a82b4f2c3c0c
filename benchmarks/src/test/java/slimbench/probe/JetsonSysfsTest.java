package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JetsonSysfsTest {

    @Test
    void nanoGpuLoadAndClockFromDevfreqAndNvgpu() {
        JetsonGpu gpu = new JetsonGpu(Trees.roots(Trees.JETSON_NANO).sys());
        assertEquals(OptionalDouble.of(53.7), gpu.loadPercent());
        assertEquals(OptionalLong.of(921_600_000), gpu.freqHz());
        assertEquals(OptionalLong.of(921_600_000), gpu.maxFreqHz());
    }

    @Test
    void nanoEmcClockFromDebugfs() {
        assertEquals(OptionalLong.of(1_600_000_000), new EmcClock(Trees.roots(Trees.JETSON_NANO).sys()).freqHz());
    }

    @Test
    void nanoThermalZonesSkipThePmicPlaceholder() {
        ThermalZones zones = new ThermalZones(Trees.roots(Trees.JETSON_NANO).sys());
        assertEquals(OptionalDouble.of(45.0), zones.maxCelsius());
        Map<String, Double> byZone = zones.celsiusByZone();
        assertEquals(List.of("AO-therm", "CPU-therm", "GPU-therm", "PLL-therm", "thermal-fan-est"),
            List.copyOf(byZone.keySet()));
        assertEquals(44.2, byZone.get("thermal-fan-est"));
    }

    @Test
    void nanoPowerModeIsNamedFromNvpmodelConf() {
        Roots nano = Trees.roots(Trees.JETSON_NANO);
        assertEquals(Optional.of(0), NvpModel.modeId(nano));
        assertEquals(Optional.of("MAXN (0)"), NvpModel.powerMode(nano));
    }

    @Test
    void powerModeWithoutConfIsTheBareId(@TempDir Path dir) throws IOException {
        Roots roots = Trees.empty(dir);
        Files.createDirectories(roots.var().resolve("lib/nvpmodel"));
        Files.writeString(roots.var().resolve("lib/nvpmodel/status"), "pmode:0001\n");
        assertEquals(Optional.of("1"), NvpModel.powerMode(roots));
    }

    @Test
    void pcHasNoJetsonSourcesButHasThermalZones() {
        Path sys = Trees.roots(Trees.PC).sys();
        JetsonGpu gpu = new JetsonGpu(sys);
        assertEquals(OptionalDouble.empty(), gpu.loadPercent());
        assertEquals(OptionalLong.empty(), gpu.freqHz());
        assertEquals(OptionalLong.empty(), new EmcClock(sys).freqHz());
        assertEquals(OptionalDouble.of(52.0), new ThermalZones(sys).maxCelsius());
        assertEquals(Optional.empty(), NvpModel.powerMode(Trees.roots(Trees.PC)));
    }

    @Test
    void malformedSysfsValuesAreAbsent() {
        Roots broken = Trees.roots(Trees.BROKEN);
        JetsonGpu gpu = new JetsonGpu(broken.sys());
        assertEquals(OptionalDouble.empty(), gpu.loadPercent(), "1500 per mille is out of range");
        assertEquals(OptionalLong.empty(), gpu.freqHz(), "empty file");
        assertEquals(OptionalLong.empty(), gpu.maxFreqHz(), "text instead of a number");
        assertEquals(OptionalLong.empty(), new EmcClock(broken.sys()).freqHz(), "a zero clock is no reading");
        ThermalZones zones = new ThermalZones(broken.sys());
        assertEquals(OptionalDouble.empty(), zones.maxCelsius(), "n/a, no temp file, -256 C");
        assertTrue(zones.celsiusByZone().isEmpty());
        assertEquals(Optional.empty(), NvpModel.powerMode(broken));
    }

    @Test
    void missingSysIsAbsent(@TempDir Path dir) throws IOException {
        Path sys = Trees.empty(dir).sys();
        assertEquals(OptionalDouble.empty(), new JetsonGpu(sys).loadPercent());
        assertEquals(OptionalLong.empty(), new EmcClock(sys).freqHz());
        assertEquals(OptionalDouble.empty(), new ThermalZones(sys).maxCelsius());
    }

    @Test
    void thermalZonesAreInNumericOrder(@TempDir Path dir) throws IOException {
        for (int i : new int[] {10, 2, 1}) {
            Path zone = Files.createDirectories(dir.resolve("class/thermal/thermal_zone" + i));
            Files.writeString(zone.resolve("type"), "zone" + i + "\n");
            Files.writeString(zone.resolve("temp"), (30000 + i * 1000) + "\n");
        }
        assertEquals(List.of("zone1", "zone2", "zone10"), List.copyOf(new ThermalZones(dir).celsiusByZone().keySet()));
    }
}
