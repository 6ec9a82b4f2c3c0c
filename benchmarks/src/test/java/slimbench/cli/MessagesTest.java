package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The one line a failed command prints: it names the file and the cause, whoever wrapped the error. */
class MessagesTest {
    @Test
    void aFullDiskWhileResultsAreAppendedNamesTheFile() {
        IOException full = new IOException("No space left on device");
        String wrapped = "cannot append results to /runs/vm/1/results.csv: No space left on device";
        assertEquals(wrapped, Main.message(new UncheckedIOException(wrapped, full)));
        assertEquals(1, Main.exitCode(new UncheckedIOException(wrapped, full)));
    }

    @Test
    void aBareWrapperShowsItsCause() {
        IOException cause = new IOException("cannot write /runs/vm/1/conditions.csv: No space left on device");
        assertEquals(cause.getMessage(), Main.message(new UncheckedIOException(cause)));
        assertEquals("NoSuchFileException: /x", Main.message(new java.nio.file.NoSuchFileException("/x")));
    }
}
