package slimbench.probe;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/**
 * The conditions a run was taken under, written once beside the results so that two result
 * files can be compared knowingly: machine, OS, C library, JVM, clocks and, on a Jetson, the L4T
 * release and power mode. Keys are stable and ordered; a value that cannot be found is left out.
 * TensorFlow's own keys (version, oneDNN, native build) are the caller's to add.
 */
public final class RunConditions {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern LIBC_SO = Pattern.compile("/libc-(\\d+\\.\\d+)\\.so");
    private static final Pattern GLIBC = Pattern.compile("glibc\\s+(\\S+)");
    private static final Pattern PRETTY_NAME = Pattern.compile("(?m)^PRETTY_NAME=\"?([^\"\\n]*)\"?$");

    private final Roots roots;
    private final Function<List<String>, Optional<String>> tools;
    private final Map<String, String> out = new LinkedHashMap<>();

    private RunConditions(Roots roots, Function<List<String>, Optional<String>> tools) {
        this.roots = roots;
        this.tools = tools;
    }

    /** This machine, read through the {@code slimbench.*} roots. */
    public static Map<String, String> collect() {
        return collect(Roots.system(), RunConditions::runFromPath);
    }

    /**
     * @param tools runs a command (the tool's bare name first) and returns its output, absent when
     *              the tool is missing or fails; tests pass recorded outputs
     */
    static Map<String, String> collect(Roots roots, Function<List<String>, Optional<String>> tools) {
        RunConditions c = new RunConditions(roots, tools);
        c.host();
        c.cpu();
        c.memory();
        c.os();
        c.jvm();
        c.gpu();
        c.jetson();
        c.power();
        return Collections.unmodifiableMap(c.out);
    }

    private void host() {
        put("host.name", text(roots.proc(), "sys/kernel/hostname").or(() -> Optional.ofNullable(System.getenv("HOSTNAME"))));
    }

    private void cpu() {
        Optional<ProcCpuinfo> info = ProcCpuinfo.read(roots.proc());
        if (info.isPresent()) {
            put("cpu.model", info.get().model());
            put("cpu.flags", String.join(" ", CpuFeatures.of(info.get().flags()).interesting()));
            put("cpu.cores.physical", String.valueOf(info.get().physical()));
            put("cpu.cores.logical", String.valueOf(info.get().logical()));
        } else if (!linux()) {
            oshiCpu();
        }
        String cpufreq = "devices/system/cpu/cpu0/cpufreq/";
        put("cpu.governor", text(roots.sys(), cpufreq + "scaling_governor"));
        put("cpu.freq", hz(new ProcFile(roots.sys().resolve(cpufreq + "scaling_cur_freq")).readLong(), 1000));
        put("cpu.freq.max", hz(new ProcFile(roots.sys().resolve(cpufreq + "scaling_max_freq")).readLong(), 1000));
    }

    private void oshiCpu() {
        try {
            CentralProcessor cpu = new SystemInfo().getHardware().getProcessor();
            put("cpu.model", cpu.getProcessorIdentifier().getName());
            put("cpu.cores.physical", String.valueOf(cpu.getPhysicalProcessorCount()));
            put("cpu.cores.logical", String.valueOf(cpu.getLogicalProcessorCount()));
        } catch (RuntimeException | LinkageError e) {
            // Unsupported platform: the CPU keys stay out.
        }
    }

    private void memory() {
        ProcMeminfo meminfo = new ProcMeminfo(roots.proc());
        if (meminfo.reload()) {
            put("mem.total", mib(meminfo.totalBytes()));
            put("swap.total", mib(meminfo.swapTotalBytes()));
        } else if (!linux()) {
            put("mem.total", mib(new OshiMemory().totalBytes()));
        }
        // Jetsons swap to zram (compressed RAM), which competes with the model for the same 4 GB.
        long zramKib = 0;
        int zramDevices = 0;
        for (String line : text(roots.proc(), "swaps").orElse("").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].startsWith("/dev/zram") && f[2].matches("\\d{1,15}")) {
                zramKib += Long.parseLong(f[2]);
                zramDevices++;
            }
        }
        if (zramDevices > 0) {
            put("swap.zram", zramKib / 1024 + " MiB in " + zramDevices + " devices");
        }
    }

    private void os() {
        put("os.name", text(roots.etc(), "os-release").map(PRETTY_NAME::matcher).filter(Matcher::find).map(m -> m.group(1))
            .or(() -> Optional.of(System.getProperty("os.name") + " " + System.getProperty("os.version"))));
        put("os.kernel", text(roots.proc(), "sys/kernel/osrelease"));
        put("glibc.version", glibc());
    }

    /** This system's glibc version, e.g. {@code 2.31}: what a native library's version needs are held against. */
    public static Optional<String> glibcVersion() {
        return new RunConditions(Roots.system(), RunConditions::runFromPath).glibc();
    }

    private Optional<String> glibc() {
        // The libc file name carries the version up to glibc 2.33; later ones are all libc.so.6.
        return text(roots.proc(), "self/maps").map(LIBC_SO::matcher).filter(Matcher::find).map(m -> m.group(1))
            .or(() -> tools.apply(List.of("getconf", "GNU_LIBC_VERSION")).map(GLIBC::matcher)
                .filter(Matcher::find).map(m -> m.group(1)));
    }

    private void jvm() {
        put("jvm.vendor", System.getProperty("java.vm.vendor"));
        put("jvm.version", System.getProperty("java.runtime.version"));
        put("jvm.arch", System.getProperty("os.arch"));
        put("jvm.args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        put("jvm.heap.max", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    }

    private void gpu() {
        tools.apply(List.of("nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"))
            .ifPresent(csv -> put("gpu.nvidia", String.join("; ", csv.lines().map(String::trim).filter(s -> !s.isEmpty()).toList())));
    }

    private void jetson() {
        Jetson.read(roots).ifPresent(j -> {
            put("jetson.l4t", j.l4t());
            put("jetson.jetpack", j.generation());
            put("jetson.model", j.model());
            put("jetson.cells", j.cells());
        });
        put("jetson.power.mode", NvpModel.powerMode(roots));
        JetsonGpu gpu = new JetsonGpu(roots.sys());
        put("jetson.gpu.freq", hz(gpu.freqHz(), 1));
        put("jetson.gpu.freq.max", hz(gpu.maxFreqHz(), 1));
        put("jetson.emc.freq", hz(new EmcClock(roots.sys()).freqHz(), 1));
    }

    /**
     * {@code power.sensors}: every power rail found and whether it can be read, or why there is
     * none, so that a run without energy rows says why; {@code power.total}: which rails make the
     * device's total and on what authority.
     */
    private void power() {
        PowerSensors sensors = PowerSensors.find(roots.sys());
        List<String> found = new ArrayList<>();
        if (!sensors.describe().isEmpty()) {
            found.add(sensors.describe());
        }
        List<String> gpus = tools.apply(List.of("nvidia-smi", "--query-gpu=index,power.draw", "--format=csv,noheader,nounits"))
            .map(csv -> csv.lines().map(String::trim).filter(l -> !l.isEmpty()).toList()).orElse(List.of());
        List<String> gpuRails = new ArrayList<>();
        for (String line : gpus) {
            String[] f = line.split(",", 2);
            String rail = f.length == 2 && f[0].trim().matches("\\d{1,3}") ? NvidiaSmi.railName(Integer.parseInt(f[0].trim())) : null;
            if (rail != null && f[1].trim().matches("\\d+(\\.\\d+)?")) {
                gpuRails.add(rail);
                found.add(rail + " readable (nvidia-smi power.draw, " + f[1].trim() + " W now)");
            } else if (rail != null) {
                found.add(rail + ": nvidia-smi reports no power.draw (" + f[1].trim() + ")");
            }
        }
        put("power.sensors", found.isEmpty()
            ? "none found: no Jetson INA3221 (" + roots.sys().resolve(JetsonPowerMonitor.IIO_DRIVER) + ", "
                + roots.sys().resolve(JetsonPowerMonitor.HWMON_DRIVER) + "), no RAPL (" + roots.sys().resolve(CpuEnergy.POWERCAP)
                + "), no amd_energy (" + roots.sys().resolve(CpuEnergy.HWMON) + "), no nvidia-smi power.draw; energy is not measured"
            : String.join("; ", found));
        List<String> total = new ArrayList<>();
        if (!sensors.wholeDescription().isEmpty()) {
            total.add(sensors.wholeDescription());
        }
        if (!gpuRails.isEmpty()) {
            total.add(String.join(" + ", gpuRails) + " (NVIDIA GPU board power)");
        }
        if (!total.isEmpty()) {
            put("power.total", String.join(" + ", total));
        } else if (!found.isEmpty()) {
            put("power.total", "none: no readable rail covers the whole device; energy is not measured");
        }
    }

    private boolean linux() {
        return Files.isDirectory(roots.proc());
    }

    private static Optional<String> text(Path root, String relative) {
        return new ProcFile(root.resolve(relative)).text();
    }

    private void put(String key, Optional<String> value) {
        value.filter(v -> !v.isBlank()).ifPresent(v -> out.put(key, v.trim()));
    }

    private void put(String key, String value) {
        put(key, Optional.ofNullable(value));
    }

    private static Optional<String> mib(OptionalLong bytes) {
        return bytes.isPresent() ? Optional.of(bytes.getAsLong() / (1024 * 1024) + " MiB") : Optional.empty();
    }

    /** A clock as "921.6 MHz", from a value in units of {@code unitHz} (sysfs cpufreq is in kHz). */
    private static Optional<String> hz(OptionalLong value, long unitHz) {
        if (value.isEmpty() || value.getAsLong() <= 0) {
            return Optional.empty();
        }
        BigDecimal mhz = BigDecimal.valueOf(value.getAsLong() * unitHz).movePointLeft(6).stripTrailingZeros();
        return Optional.of(mhz.toPlainString() + " MHz");
    }

    /** Runs a tool found on the PATH; a missing tool is not started at all. */
    private static Optional<String> runFromPath(List<String> command) {
        return Command.onPath(command.get(0)).flatMap(exe -> {
            List<String> resolved = new ArrayList<>(command);
            resolved.set(0, exe.toString());
            return Command.output(resolved, TOOL_TIMEOUT);
        });
    }
}
