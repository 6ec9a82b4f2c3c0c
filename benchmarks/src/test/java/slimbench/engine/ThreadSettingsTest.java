package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow's intra-op pool: one per process, sized by the first session, unless the cells'
 * setting gives each session its own.
 */
class ThreadSettingsTest {
    private static long threadsAddedByASecondSessionOfFour(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), PoolProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(ThreadSettings.OWN_POOL);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        return Long.parseLong(lines.get(lines.size() - 1));
    }

    @Test
    void withoutTheSettingASecondSessionRunsOnTheFirstOnesPool() throws Exception {
        assertEquals(0, threadsAddedByASecondSessionOfFour(Map.of()),
                "TensorFlow made a pool per session by itself: the setting is no longer needed");
    }

    @Test
    void withTheCellsSettingEachSessionGetsThePoolItAsksFor() throws Exception {
        long added = threadsAddedByASecondSessionOfFour(ThreadSettings.ENV);
        assertTrue(added >= 4, "a session of 4 intra-op threads added " + added + " threads");
        System.out.println("outcome a second session of 4 threads: +0 threads by default, +" + added + " with "
                + ThreadSettings.ENV);
    }
}
