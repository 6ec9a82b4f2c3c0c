package slimbench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import slimbench.bench.ChildJvm;
import slimbench.engine.Roofline;
import slimbench.engine.ThreadSettings;
import slimbench.model.Precision;
import slimbench.model.RecordCodec;

/**
 * The roofline peaks of one thread count, measured in a JVM of its own with the cells' thread
 * settings ({@link ThreadSettings#ENV}): in the runner's process TensorFlow sizes one intra-op pool
 * by its first session, so the peak of a second thread count ran on the first one's pool and every
 * cell of that count read a peak it had passed (peak_fraction INVALID). A child that fails (no
 * java to start, say) leaves the peaks to this process, as before.
 */
final class PeakProcess {
    private static final long TIMEOUT_S = 300;

    private PeakProcess() {}

    /** {@link Roofline#measure} for {@code threads}, in a child JVM; in this one if the child fails. */
    static Map<Precision, Double> measure(int n, int threads, int runs) {
        return child(n, threads, runs).orElseGet(() -> Roofline.measure(n, threads, runs));
    }

    /** The peaks a child JVM measured and answered through the codec, if it could. */
    static Optional<Map<Precision, Double>> child(int n, int threads, int runs) {
        Process p = null;
        Path answer = null;
        try {
            answer = Files.createTempFile("slimbench-peaks", ".answer");
            List<String> cmd = ChildJvm.command(List.of(), Roofline.class);
            cmd.addAll(RecordCodec.arguments(new Roofline.Job(n, threads, runs)));
            cmd.add(Roofline.ANSWER + "=" + answer);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
            ThreadSettings.ENV.forEach(pb.environment()::putIfAbsent);
            p = pb.start();
            p.getOutputStream().close();
            if (p.waitFor(TIMEOUT_S, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Optional.of(read(answer));
            }
        } catch (IOException | RuntimeException e) {
            // measured here instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            if (answer != null) {
                try {
                    Files.deleteIfExists(answer);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
        return Optional.empty();
    }

    /** The peaks a peak process answered in {@code file}; a damaged answer is an error naming it. */
    static Map<Precision, Double> read(Path file) throws IOException {
        try {
            return RecordCodec.read(file, Roofline.Peaks.class).map();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the peak process's answer " + file + " is damaged: " + e.getMessage(), e);
        }
    }
}
