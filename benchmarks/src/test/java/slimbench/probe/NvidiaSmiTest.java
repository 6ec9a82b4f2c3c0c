package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiTest {

    /** An executable that prints the given CSV lines in a loop, as {@code nvidia-smi -lms} does. */
    static Path fakeNvidiaSmi(Path dir, String... lines) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\nwhile :; do\n");
        for (String line : lines) {
            script.append("  echo '").append(line).append("'\n");
        }
        script.append("  sleep 0.02\ndone\n");
        Path exe = dir.resolve("nvidia-smi");
        Files.writeString(exe, script);
        assertTrue(exe.toFile().setExecutable(true));
        return exe;
    }

    @Test
    void parsesCsvNoHeaderNoUnits() {
        assertEquals(Optional.of(new NvidiaSmi.Reading(0, 1536, 24564, OptionalDouble.of(87.09))),
            NvidiaSmi.Reading.parse("0, 1536, 24564, 87.09"));
        assertEquals(Optional.empty(), NvidiaSmi.Reading.parse("0, [N/A], 24564, 87.09"));
        assertEquals(Optional.empty(), NvidiaSmi.Reading.parse("0, 1536 MiB, 24564 MiB, 87.09 W"));
        assertEquals(Optional.empty(), NvidiaSmi.Reading.parse("0, 30000, 24564, 87.09"), "used above total");
        assertEquals(Optional.empty(), NvidiaSmi.Reading.parse(" 1536, 24564"), "the index and power columns are asked for");
        assertEquals(Optional.empty(), NvidiaSmi.Reading.parse(""));
    }

    @Test
    void streamsTheMaximumOverGpusAndReadings(@TempDir Path dir) throws Exception {
        Path exe = fakeNvidiaSmi(dir, "garbage", "0, 512, 8192, 50.5", "1, 3072, 16384, [N/A]");
        try (NvidiaSmi smi = NvidiaSmi.start(NvidiaSmi.query(exe.toString(), Duration.ofMillis(20))).orElseThrow()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (smi.maxUsedMiB().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(50);
            assertEquals(OptionalLong.of(3072), smi.maxUsedMiB());
            assertEquals(OptionalLong.of(16384), smi.totalMiB());
        }
    }

    @Test
    void aMissingExecutableIsNoSource(@TempDir Path dir) {
        assertEquals(Optional.empty(), NvidiaSmi.start(List.of(dir.resolve("nvidia-smi").toString())));
        assertEquals(Optional.empty(), Command.output(List.of(dir.resolve("nope").toString()), Duration.ofSeconds(1)));
    }

    @Test
    void commandsThatHangAreCutOffAndFailuresAreAbsent() {
        assertEquals(Optional.of("hello"), Command.output(List.of("sh", "-c", "echo hello"), Duration.ofSeconds(5)));
        assertEquals(Optional.empty(), Command.output(List.of("sh", "-c", "echo partial; exit 3"), Duration.ofSeconds(5)));
        long start = System.nanoTime();
        assertEquals(Optional.empty(), Command.output(List.of("sleep", "10"), Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
    }
}
