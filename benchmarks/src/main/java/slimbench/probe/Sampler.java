package slimbench.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples every source in a daemon thread between {@link #start()} and {@link #stop()}, one
 * iteration at a time; reusable, so the sources are discovered once per fork.
 *
 * <p>Memory is read every period ({@link MemoryProfiler#DEFAULT_PERIOD} by default); the
 * process's peak also comes from the kernel's VmHWM, reset at each iteration's start, so a spike
 * shorter than the period is not missed where the reset works. GPU, EMC and thermal nodes change slower and some are slow to read (ACPI thermal zones
 * on a PC), so they are read every {@value #DEVICE_PERIOD_MS} ms. Counters (swap traffic, major
 * faults) are read only at both ends. Only the sampler thread touches the tracks while it runs;
 * {@link #stop()} joins it before reading them.
 *
 * <p>Power rails ({@link PowerSensors}, and each GPU's {@code power.draw} in the nvidia-smi stream)
 * are read on the device ticks too. Before the fork's first iteration, and only when there is a
 * power source, the sampler measures the same rails for {@code idle} with nothing running, the
 * baseline of "above idle". A benchmark whose setup runs inside the first iteration (JMH runs
 * trial setup there) calls {@link #restartPowerWindow()} when it is done, so that the power means
 * cover the timed work rather than the model's loading.
 */
final class Sampler {

    static final long DEVICE_PERIOD_MS = 100;
    private static final double MIB = 1.0 / (1024 * 1024);
    private static final double MHZ = 1e-6;
    /** Bumped by {@link #restartPowerWindow()}; each sampler compares it with the value it last saw. */
    private static final AtomicLong POWER_RESTARTS = new AtomicLong();

    private final long periodNanos;
    private final int deviceEvery;
    private final boolean linux;
    private final ProcessMemory process;
    private final ProcMeminfo meminfo;
    private final ProcSelfStat stat;
    private final ProcVmstat vmstat;
    private final JetsonGpu gpu;
    private final EmcClock emc;
    private final ThermalZones thermal;
    private final OshiMemory oshi = new OshiMemory();
    private final Optional<String> nvidiaSmi;
    private final MemoryMXBean heapBean = ManagementFactory.getMemoryMXBean();
    private final PowerSensors power;
    private final PowerMeter meter;
    private final Duration idle;
    private Map<String, Double> idleWatts;
    private Map<String, Double> windowWatts = Map.of();
    private List<String> gpuRails = List.of();
    private long powerRestartsSeen;

    private Track rss, heap, avail, total, swapUsed, nvmap, gpuLoad, gpuFreq, emcFreq, temperature;
    private OptionalLong swapInStart, swapOutStart, majfltStart;
    private boolean peakReset;
    private Optional<NvidiaSmi> smi = Optional.empty();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param idle      how long to measure idle power before the first iteration; zero for none
     * @param nvidiaSmi the {@code nvidia-smi} executable to stream GPU memory and power from, if any
     */
    Sampler(Roots roots, Duration period, Duration idle, Optional<String> nvidiaSmi) {
        this.periodNanos = Math.max(1, period.toNanos());
        this.deviceEvery = (int) Math.max(1, Duration.ofMillis(DEVICE_PERIOD_MS).toNanos() / periodNanos);
        this.linux = Files.isDirectory(roots.proc());
        this.process = new ProcessMemory(roots);
        this.meminfo = new ProcMeminfo(roots.proc());
        this.stat = new ProcSelfStat(roots.proc());
        this.vmstat = new ProcVmstat(roots.proc());
        this.gpu = new JetsonGpu(roots.sys());
        this.emc = new EmcClock(roots.sys());
        this.thermal = new ThermalZones(roots.sys());
        this.nvidiaSmi = nvidiaSmi;
        this.power = PowerSensors.find(roots.sys());
        this.meter = new PowerMeter(power.rails(), System::nanoTime);
        this.idle = idle;
    }

    /** Marks the start of the timed work in this iteration; the sampler restarts its power window at its next tick. */
    static void restartPowerWindow() {
        POWER_RESTARTS.incrementAndGet();
    }

    /** Resets the peaks, takes the counters' baseline and starts the sampling thread. */
    void start() {
        if (idleWatts == null) {
            idleWatts = measureIdle();
        }
        rss = new Track();
        heap = new Track();
        avail = new Track();
        total = new Track();
        swapUsed = new Track();
        nvmap = new Track();
        gpuLoad = new Track();
        gpuFreq = new Track();
        emcFreq = new Track();
        temperature = new Track();
        peakReset = process.resetPeak();
        swapInStart = swapIn();
        swapOutStart = swapOut();
        majfltStart = linux ? stat.majorFaults() : OptionalLong.empty();
        smi = nvidiaSmi.flatMap(exe -> NvidiaSmi.start(NvidiaSmi.query(exe, Duration.ofMillis(DEVICE_PERIOD_MS))));
        powerRestartsSeen = POWER_RESTARTS.get();
        meter.start();
        running = true;
        thread = new Thread(this::loop, "slimbench-memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread, takes a last sample and returns what was seen; absent sources are left out. */
    Map<Metric, Double> stop() {
        if (thread == null) {
            windowWatts = Map.of();
            return new EnumMap<>(Metric.class);
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        sampleMemory();
        sampleDevices();
        smi.ifPresent(NvidiaSmi::close);
        Map<String, Double> watts = new LinkedHashMap<>(meter.means()); // up to sampleDevices' last reading
        Map<String, Double> gpus = smi.map(NvidiaSmi::meanWatts).orElse(Map.of());
        watts.putAll(gpus);
        windowWatts = watts;
        gpuRails = List.copyOf(gpus.keySet());

        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        OptionalDouble peak = rss.max();
        if (peakReset) {
            // The kernel's peak catches spikes shorter than the period; the reset made it per-iteration.
            OptionalLong hwm = process.peakResidentBytes();
            if (hwm.isPresent()) {
                peak = OptionalDouble.of(Math.max(peak.orElse(0), hwm.getAsLong() * MIB));
            }
        }
        put(out, Metric.RSS_PEAK, peak);
        put(out, Metric.HEAP_PEAK, heap.max());
        put(out, Metric.AVAIL_MIN, avail.min());
        put(out, Metric.TOTAL, total.max());
        put(out, Metric.SWAP_USED_MAX, swapUsed.max());
        put(out, Metric.SWAP_IN, delta(swapInStart, swapIn()));
        put(out, Metric.SWAP_OUT, delta(swapOutStart, swapOut()));
        put(out, Metric.MAJOR_FAULTS, delta(majfltStart, linux ? stat.majorFaults() : OptionalLong.empty()));
        put(out, Metric.NVMAP_PEAK, nvmap.max());
        put(out, Metric.GPU_LOAD_MAX, gpuLoad.max());
        put(out, Metric.GPU_LOAD_AVG, gpuLoad.mean());
        put(out, Metric.GPU_FREQ, gpuFreq.mean());
        put(out, Metric.EMC_FREQ, emcFreq.mean());
        put(out, Metric.THERMAL_MAX, temperature.max());
        smi.ifPresent(s -> {
            s.maxUsedMiB().ifPresent(v -> out.put(Metric.GPU_MEM_USED_MAX, (double) v));
            s.totalMiB().ifPresent(v -> out.put(Metric.GPU_MEM_TOTAL, (double) v));
        });
        return out;
    }

    /** The power of the last iteration and of the idle window, with the rails that make the total. */
    Energy energy() {
        List<String> whole = new ArrayList<>(power.whole());
        whole.addAll(gpuRails); // a desktop GPU's power.draw is its whole board
        return new Energy(windowWatts, idleWatts == null ? Map.of() : idleWatts, whole);
    }

    /**
     * The rails' mean power over {@code idle} with nothing running, in this thread; skipped (empty)
     * at once when there is no power source, so a machine without sensors loses no time.
     */
    private Map<String, Double> measureIdle() {
        if (idle.isZero() || (meter.isEmpty() && nvidiaSmi.isEmpty())) {
            return Map.of();
        }
        Optional<NvidiaSmi> idleSmi = nvidiaSmi.flatMap(exe -> NvidiaSmi.start(NvidiaSmi.query(exe, Duration.ofMillis(DEVICE_PERIOD_MS))));
        long start = System.nanoTime();
        long end = start + idle.toNanos();
        meter.start();
        for (long now = start; now < end; now = System.nanoTime()) {
            LockSupport.parkNanos(Math.min(end - now, Duration.ofMillis(DEVICE_PERIOD_MS).toNanos()));
            meter.sample();
        }
        Map<String, Double> watts = new LinkedHashMap<>(meter.means());
        idleSmi.ifPresent(s -> {
            s.close();
            watts.putAll(s.meanWatts());
        });
        return watts;
    }

    private void loop() {
        try {
            for (long tick = 0; running; tick++) {
                sampleMemory();
                if (tick % deviceEvery == 0) {
                    restartPowerIfAsked();
                    sampleDevices();
                }
                LockSupport.parkNanos(periodNanos);
            }
        } catch (RuntimeException e) {
            // Readers do not throw; should one still, this iteration just has fewer samples.
        }
    }

    private void sampleMemory() {
        rss.add(process.residentBytes(), MIB);
        heap.add(heapBean.getHeapMemoryUsage().getUsed() * MIB);
        if (linux) {
            if (meminfo.reload()) {
                avail.add(meminfo.availableBytes(), MIB);
                total.add(meminfo.totalBytes(), MIB);
                swapUsed.add(meminfo.swapUsedBytes(), MIB);
                nvmap.add(meminfo.nvMapUsedBytes(), MIB);
            }
        } else {
            avail.add(oshi.availableBytes(), MIB);
            total.add(oshi.totalBytes(), MIB);
            swapUsed.add(oshi.swapUsedBytes(), MIB);
        }
    }

    /** Opens a new power window when the benchmark has asked since the last tick; sampler thread only. */
    private void restartPowerIfAsked() {
        long restarts = POWER_RESTARTS.get();
        if (restarts != powerRestartsSeen) {
            powerRestartsSeen = restarts;
            meter.start();
            smi.ifPresent(NvidiaSmi::restartPower);
        }
    }

    private void sampleDevices() {
        meter.sample();
        gpuLoad.add(gpu.loadPercent());
        gpuFreq.add(gpu.freqHz(), MHZ);
        emcFreq.add(emc.freqHz(), MHZ);
        temperature.add(thermal.maxCelsius());
    }

    private OptionalLong swapIn() {
        if (!linux) {
            return oshi.swapInPages();
        }
        return vmstat.reload() ? vmstat.swapInPages() : OptionalLong.empty();
    }

    private OptionalLong swapOut() {
        if (!linux) {
            return oshi.swapOutPages();
        }
        return vmstat.reload() ? vmstat.swapOutPages() : OptionalLong.empty();
    }

    /** A counter's growth; absent when either end is missing or it went backwards (malformed). */
    private static OptionalDouble delta(OptionalLong start, OptionalLong end) {
        return start.isPresent() && end.isPresent() && end.getAsLong() >= start.getAsLong()
            ? OptionalDouble.of(end.getAsLong() - start.getAsLong())
            : OptionalDouble.empty();
    }

    private static void put(Map<Metric, Double> out, Metric metric, OptionalDouble value) {
        value.ifPresent(v -> out.put(metric, v));
    }
}
