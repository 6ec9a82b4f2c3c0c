/**
 * Memory-pressure and device probes, read-only, one reader per source.
 *
 * <p>On a Jetson Nano the CPU and the integrated GPU share 4 GB and most failed cells are killed
 * for memory, while JMH's own profilers see only the Java heap and NVML does not support the
 * Jetson's GPU. This package therefore reads the kernel directly: {@code /proc} for the process
 * and system memory, Jetson sysfs for the GPU, EMC, thermal zones and power rails, powercap for
 * RAPL, {@code nvidia-smi} for a desktop GPU, and OSHI only where {@code /proc} does not exist.
 *
 * <p>What lives here, in the order the data flows:
 * <ul>
 *   <li>{@link slimbench.probe.Roots} says where {@code /proc}, {@code /sys}, {@code /etc} and
 *       {@code /var} are, so that tests read recorded trees;</li>
 *   <li>the readers ({@code ProcMeminfo}, {@code ProcStatus}, {@code ProcSelfStat},
 *       {@code ProcVmstat}, {@code JetsonGpu}, {@code EmcClock}, {@code ThermalZones},
 *       {@code NvpModel}, {@code NvidiaSmi}, {@code OshiMemory}), each answering "absent" rather
 *       than zero or an exception when its file is missing or malformed;</li>
 *   <li>the power readers: {@code JetsonPowerMonitor} (INA3221, L4T iio and hwmon layouts) and
 *       {@code CpuEnergy} (RAPL powercap, amd_energy) give {@code PowerRail}s, which
 *       {@code PowerSensors} gathers with the rails that make the whole device, {@code PowerMeter}
 *       averages over a window and {@code Energy} turns into energy per inference;</li>
 *   <li>{@link slimbench.probe.ProcessMemory}, the resident-memory helper the cold-start
 *       benchmark calls after each phase;</li>
 *   <li>{@link slimbench.probe.MemoryProfiler}, the JMH {@code InternalProfiler} that samples in a
 *       background thread during each iteration and returns {@link slimbench.probe.Metric}s,
 *       including the {@link slimbench.probe.Pressure} verdict carried into the results CSV;</li>
 *   <li>{@link slimbench.probe.RunConditions} and {@link slimbench.probe.CpuFeatures}, the
 *       once-per-run description of the machine, with {@link slimbench.probe.Jetson} (the L4T
 *       release and board) and {@link slimbench.probe.JetPack} (what each generation ships and
 *       what this jar runs there).</li>
 * </ul>
 */
package slimbench.probe;
