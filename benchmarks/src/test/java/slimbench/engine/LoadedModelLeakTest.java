package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * A load that fails after its session is made closes the session before the graph. TensorFlow's
 * {@code Graph.close} waits for every session on the graph to close, so a leaked session makes
 * the failing load hang forever instead of throwing: the timeout below is what a leak looks like.
 */
class LoadedModelLeakTest {
    @TempDir
    Path cache;

    @Test
    void aLoadThatFailsAfterTheSessionIsMadeClosesItAndThrows() throws Exception {
        Path file = Generator.ensure(cache, Model.MOBILENET_V1, Precision.FP32, Optimize.AT_LOAD, Scale.TINY, 1).path();
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThrows(IllegalStateException.class, () -> LoadedModel.load(file,
                        LoadOptions.zoo(Optimize.AT_LOAD, 1).onPhase(phase -> {
                            if (phase.equals("session")) { // after the session, before the input is made
                                throw new IllegalStateException("failed after the session");
                            }
                        }))), "the graph's close waited for a session nobody closed");
        assertEquals("failed after the session", e.getMessage());
        try (LoadedModel again = LoadedModel.load(file, LoadOptions.zoo(Optimize.AT_LOAD, 1))) { // the file is still usable
            int top = again.inferAndCheck();
            assertTrue(top >= 0 && top < Model.MOBILENET_V1.classes(Scale.TINY), "top class " + top);
        }
    }
}
