package slimbench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command for a test: stdout and stderr together into a log file rather than a pipe (a
 * chatty child can never block on a full pipe, and the file stays behind to read), with a time
 * limit after which the child and its descendants are killed. No child outlives the call, also
 * when JUnit's own {@code @Timeout} interrupts the wait.
 */
record ChildProcess(List<String> command, int exitCode, boolean timedOut, String output) {

    static ChildProcess run(List<String> command, Path dir, Map<String, String> env, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChildProcess(List.copyOf(command), finished ? process.exitValue() : -1, !finished,
                    Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The executable called {@code name} on PATH, or null. */
    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The command and its whole output, for a failure message or the test log. */
    String transcript() {
        return "---- " + String.join(" ", command) + (timedOut ? " (timed out)" : " (exit " + exitCode + ")")
                + "\n" + output + "\n---- end of child output";
    }
}
