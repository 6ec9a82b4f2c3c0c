package slimbench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import slimbench.bench.Roofline;
import slimbench.engine.ThreadSettings;
import slimbench.model.Precision;

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

    /** The peaks a child JVM measured, if it could. */
    static Optional<Map<Precision, Double>> child(int n, int threads, int runs) {
        List<String> cmd = new ArrayList<>(List.of(CellProcess.java()));
        for (String property : List.of(CellProcess.JAVA, "jdk.lang.Process.launchMechanism")) {
            if (System.getProperty(property) != null) {
                cmd.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Roofline.class.getName(),
                Integer.toString(n), Integer.toString(threads), Integer.toString(runs)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
        ThreadSettings.ENV.forEach(pb.environment()::putIfAbsent);
        Process p = null;
        try {
            p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(TIMEOUT_S, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Optional.of(Roofline.parse(out));
            }
        } catch (IOException | RuntimeException e) {
            // measured here instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        return Optional.empty();
    }
}
