package slimbench.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A desktop NVIDIA GPU's memory through {@code nvidia-smi}, the one reader that needs a tool: the
 * driver keeps GPU memory out of every file a process could read.
 *
 * <p>Starting {@code nvidia-smi} costs tens of milliseconds, far too much per sample, so one
 * process per iteration streams readings with {@code -lms} and a thread keeps the maximum.
 */
final class NvidiaSmi implements AutoCloseable {

    /** One reading: used and total memory of one GPU, in MiB. */
    record MemoryLine(long usedMiB, long totalMiB) {

        /** Parses "1234, 8192" as printed with {@code --format=csv,noheader,nounits}. */
        static Optional<MemoryLine> parse(String line) {
            String[] parts = line.split(",");
            if (parts.length != 2) {
                return Optional.empty();
            }
            try {
                long used = Long.parseLong(parts[0].trim());
                long total = Long.parseLong(parts[1].trim());
                return used >= 0 && total > 0 && used <= total
                    ? Optional.of(new MemoryLine(used, total)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private final Process process;
    private final Thread reader;
    private volatile long maxUsedMiB = -1;
    private volatile long totalMiB = -1;

    private NvidiaSmi(Process process) {
        this.process = process;
        this.reader = new Thread(this::readLines, "slimbench-nvidia-smi");
        reader.setDaemon(true);
        reader.start();
    }

    /** The streaming query for memory used/total every {@code period}. */
    static List<String> memoryQuery(String executable, Duration period) {
        return List.of(executable, "--query-gpu=memory.used,memory.total", "--format=csv,noheader,nounits",
            "-lms", String.valueOf(Math.max(1, period.toMillis())));
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
                MemoryLine.parse(line).ifPresent(this::record);
            }
        } catch (IOException e) {
            // The process was stopped or died: the readings so far stand.
        }
    }

    private void record(MemoryLine m) {
        // Single writer (this thread), so read-modify-write on the volatiles is safe.
        maxUsedMiB = Math.max(maxUsedMiB, m.usedMiB());
        totalMiB = Math.max(totalMiB, m.totalMiB());
    }

    /** The nvidia-smi executable on the PATH, without starting it. */
    static Optional<String> onPath() {
        return Command.onPath("nvidia-smi").map(Object::toString);
    }
}
