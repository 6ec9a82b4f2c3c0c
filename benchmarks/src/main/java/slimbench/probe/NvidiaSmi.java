package slimbench.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A desktop NVIDIA GPU's memory and power through {@code nvidia-smi}, the one reader that needs a
 * tool: the driver keeps GPU memory out of every file a process could read.
 *
 * <p>Starting {@code nvidia-smi} costs tens of milliseconds, far too much per sample, so one
 * process per iteration streams readings with {@code -lms} and a thread keeps the maximum memory
 * and each GPU's mean {@code power.draw} (the board's draw in W; on Ampere and later the driver
 * reports it averaged over one second). GPUs without a power sensor print {@code [N/A]} there.
 */
final class NvidiaSmi implements AutoCloseable {

    /** One reading of one GPU: its index, used and total memory in MiB, its power in W if it has a sensor. */
    record Reading(int index, long usedMiB, long totalMiB, OptionalDouble watts) {

        /** Parses "0, 883, 143771, 700.51" as printed by {@link #query} with {@code --format=csv,noheader,nounits}. */
        static Optional<Reading> parse(String line) {
            String[] parts = line.split(",");
            if (parts.length != 4) {
                return Optional.empty();
            }
            try {
                int index = Integer.parseInt(parts[0].trim());
                long used = Long.parseLong(parts[1].trim());
                long total = Long.parseLong(parts[2].trim());
                if (index < 0 || used < 0 || total <= 0 || used > total) {
                    return Optional.empty();
                }
                return Optional.of(new Reading(index, used, total, watts(parts[3].trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static OptionalDouble watts(String field) {
            try {
                double w = Double.parseDouble(field);
                return Double.isFinite(w) && w >= 0 ? OptionalDouble.of(w) : OptionalDouble.empty();
            } catch (NumberFormatException e) {
                return OptionalDouble.empty(); // "[N/A]": no power sensor on this GPU
            }
        }
    }

    /** Rail name of GPU {@code index} in the results: {@code power.gpu0.mean}. */
    static String railName(int index) {
        return "gpu" + index;
    }

    private final Process process;
    private final Thread reader;
    private volatile long maxUsedMiB = -1;
    private volatile long totalMiB = -1;
    /** Only the reader thread writes these; they are read after {@link #close()} has joined it. */
    private final Map<Integer, Track> power = new TreeMap<>();
    private volatile boolean restart;

    private NvidiaSmi(Process process) {
        this.process = process;
        this.reader = new Thread(this::readLines, "slimbench-nvidia-smi");
        reader.setDaemon(true);
        reader.start();
    }

    /** The streaming query for index, memory used/total and power draw every {@code period}. */
    static List<String> query(String executable, Duration period) {
        return List.of(executable, "--query-gpu=index,memory.used,memory.total,power.draw",
            "--format=csv,noheader,nounits", "-lms", String.valueOf(Math.max(1, period.toMillis())));
    }

    /** Starts streaming; absent when the command cannot be started. */
    static Optional<NvidiaSmi> start(List<String> command) {
        try {
            return Optional.of(new NvidiaSmi(
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start()));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The highest memory used by any GPU so far, absent before the first good line. */
    OptionalLong maxUsedMiB() {
        long v = maxUsedMiB;
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    OptionalLong totalMiB() {
        long v = totalMiB;
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Forgets the power read so far: the window the means cover starts at the next line. */
    void restartPower() {
        restart = true;
    }

    /** Each GPU's mean power since the start or the last restart, by {@link #railName}; call after {@link #close()}. */
    Map<String, Double> meanWatts() {
        Map<String, Double> out = new LinkedHashMap<>();
        synchronized (power) {
            power.forEach((index, track) -> track.mean().ifPresent(w -> out.put(railName(index), w)));
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Reading.parse(line).ifPresent(this::record);
            }
        } catch (IOException e) {
            // The process was stopped or died: the readings so far stand.
        }
    }

    private void record(Reading m) {
        // Single writer (this thread), so read-modify-write on the volatiles is safe.
        maxUsedMiB = Math.max(maxUsedMiB, m.usedMiB());
        totalMiB = Math.max(totalMiB, m.totalMiB());
        synchronized (power) {
            if (restart) {
                restart = false;
                power.clear();
            }
            m.watts().ifPresent(w -> power.computeIfAbsent(m.index(), i -> new Track()).add(w));
        }
    }

    /** The nvidia-smi executable on the PATH, without starting it. */
    static Optional<String> onPath() {
        return Command.onPath("nvidia-smi").map(Object::toString);
    }
}
