package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.cli.Cli.Outcome;
import slimbench.model.OpScreenTest;
import slimbench.suite.Suites;

/**
 * {@code run --model-file} of a frozen graph shaped like a classifier (uint8 {@code input},
 * {@code scores} [1, 1001]) that writes a file under a control dependency of its output: refused
 * before anything runs, exit 2, one line naming the op and its node, and the file not written;
 * with {@code --allow-op WriteFile} it runs, and the file is written, which is what the screen stops.
 */
class ModelFileScreenTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
    }

    private Outcome run(Path evil, String... more) {
        Object[] args = {"run", "--model-file", evil, "--input", "input", "--output", "scores", "--scale", "tiny",
            "--preset", "quick", "--variants", "fp32", "--optimize", "at-load", "--modes", "cold",
            "--runtimes", "tensorflow", "--no-probes", "--out", tmp.resolve("reports")};
        Object[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Cli.run(all);
    }

    @Test
    void aGraphThatWritesAFileIsRefusedBeforeAnythingRuns() throws IOException {
        Path target = tmp.resolve("pwned.txt");
        Path evil = Files.write(tmp.resolve("evil.pb"), OpScreenTest.evilGraph(target).toByteArray());

        Outcome refused = run(evil);
        assertEquals(2, refused.exit(), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), "one line: " + refused.err());
        assertTrue(refused.err().contains("node 'log' runs WriteFile, which writes a file"), refused.err());
        assertTrue(refused.err().contains("--allow-op WriteFile"), refused.err());
        assertFalse(Files.exists(target), "the file the graph names is not written");
        assertFalse(Files.exists(tmp.resolve("reports")), "no run directory: nothing ran");

        Outcome allowed = run(evil, "--allow-op", "WriteFile");
        assertTrue(Files.exists(target), "let through, the graph writes its file: " + allowed.err());
    }
}
