package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcReadersTest {

    private static final long KIB = 1024;

    @Test
    void jetsonMeminfoHasEveryFieldIncludingNvMap() {
        ProcMeminfo m = new ProcMeminfo(Trees.roots(Trees.JETSON_NANO).proc());
        assertTrue(m.reload());
        assertEquals(OptionalLong.of(4059712 * KIB), m.totalBytes());
        assertEquals(OptionalLong.of(1048576 * KIB), m.availableBytes());
        assertEquals(OptionalLong.of(2029840 * KIB), m.swapTotalBytes());
        assertEquals(OptionalLong.of((2029840 - 1620240) * KIB), m.swapUsedBytes());
        assertEquals(OptionalLong.of(786432 * KIB), m.nvMapUsedBytes());
    }

    @Test
    void pcMeminfoHasNoNvMapAndUnusedSwap() {
        ProcMeminfo m = new ProcMeminfo(Trees.roots(Trees.PC).proc());
        assertTrue(m.reload());
        assertEquals(OptionalLong.of(32803268 * KIB), m.totalBytes());
        assertEquals(OptionalLong.of(26214400 * KIB), m.availableBytes());
        assertEquals(OptionalLong.of(0), m.swapUsedBytes());
        assertEquals(OptionalLong.empty(), m.nvMapUsedBytes());
    }

    @TempDir
    Path tree;

    @Test
    void anotherProcessResidentBytesAndNoneForAProcessGone() throws IOException {
        Path status = Files.createDirectories(tree.resolve("4242")).resolve("status");
        Files.writeString(status, "Name:\tjava\nVmHWM:\t  9000 kB\nVmRSS:\t  2048 kB\nThreads:\t12\n");
        assertEquals(2048 * KIB, ProcStatus.residentBytes(tree, 4242));
        assertEquals(0, ProcStatus.residentBytes(tree, 4243), "ended between being listed and being read");
        assertTrue(ProcStatus.residentBytes(Path.of("/proc"), ProcessHandle.current().pid()) > 0, "this JVM");
    }

    @Test
    void processStatusStatAndVmstat() {
        Path proc = Trees.roots(Trees.JETSON_NANO).proc();
        ProcStatus status = new ProcStatus(proc);
        assertTrue(status.reload());
        assertEquals(OptionalLong.of(1843200 * KIB), status.residentBytes());
        assertEquals(OptionalLong.of(2150400 * KIB), status.peakResidentBytes());
        assertEquals(OptionalLong.of(1207), new ProcSelfStat(proc).majorFaults());
        ProcVmstat vmstat = new ProcVmstat(proc);
        assertTrue(vmstat.reload());
        assertEquals(OptionalLong.of(31544), vmstat.swapInPages());
        assertEquals(OptionalLong.of(98112), vmstat.swapOutPages());

        Path pc = Trees.roots(Trees.PC).proc();
        assertEquals(OptionalLong.of(35), new ProcSelfStat(pc).majorFaults());
        ProcVmstat pcVmstat = new ProcVmstat(pc);
        assertTrue(pcVmstat.reload());
        assertEquals(OptionalLong.of(0), pcVmstat.swapInPages());
    }

    @Test
    void malformedFilesAreAbsentNotZero() {
        Path proc = Trees.roots(Trees.BROKEN).proc();
        ProcMeminfo m = new ProcMeminfo(proc);
        assertTrue(m.reload());
        assertEquals(OptionalLong.empty(), m.totalBytes());
        assertEquals(OptionalLong.empty(), m.availableBytes());
        assertEquals(OptionalLong.empty(), m.swapTotalBytes());
        assertEquals(OptionalLong.empty(), m.swapUsedBytes());
        assertEquals(OptionalLong.empty(), m.nvMapUsedBytes());

        ProcStatus status = new ProcStatus(proc);
        assertTrue(status.reload());
        assertEquals(OptionalLong.empty(), status.residentBytes());
        assertEquals(OptionalLong.empty(), status.peakResidentBytes());
        assertEquals(OptionalLong.empty(), new ProcSelfStat(proc).majorFaults());

        ProcVmstat vmstat = new ProcVmstat(proc);
        assertTrue(vmstat.reload());
        assertEquals(OptionalLong.empty(), vmstat.swapInPages());
        assertEquals(OptionalLong.empty(), vmstat.swapOutPages());
    }

    @Test
    void missingFilesAreAbsent(@TempDir Path dir) throws IOException {
        Path proc = Trees.empty(dir).proc();
        ProcMeminfo m = new ProcMeminfo(proc);
        assertFalse(m.reload());
        assertEquals(OptionalLong.empty(), m.availableBytes());
        ProcStatus status = new ProcStatus(proc);
        assertFalse(status.reload());
        assertEquals(OptionalLong.empty(), status.residentBytes());
        assertFalse(status.resetPeak(), "no clear_refs in the tree, so no reset, and no file created");
        assertFalse(Files.exists(proc.resolve("self/clear_refs")));
        assertEquals(OptionalLong.empty(), new ProcSelfStat(proc).majorFaults());
        assertFalse(new ProcVmstat(proc).reload());
    }

    @Test
    void statIsReadAfterTheLastParenSoOddCommandNamesWork(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("self"));
        Files.writeString(dir.resolve("self/stat"),
            "77 (a (b) c) R 1 77 77 0 -1 4194304 10 0 42 0 1 1 0 0 20 0 1 0 5 100 10\n");
        assertEquals(OptionalLong.of(42), new ProcSelfStat(dir).majorFaults());
    }

    @Test
    void procFileRejectsPartialNumbersAndOverflow(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("value");
        ProcFile file = new ProcFile(f);
        Files.writeString(f, "  123\n");
        assertEquals(OptionalLong.of(123), file.readLong());
        Files.writeString(f, "123 456\n");
        assertEquals(OptionalLong.empty(), file.readLong(), "two numbers is not one value");
        Files.writeString(f, "99999999999999999999\n");
        assertEquals(OptionalLong.empty(), file.readLong());
        Files.writeString(f, "12.5\n");
        assertEquals(OptionalLong.empty(), file.readLong());
        Files.writeString(f, "");
        assertEquals(OptionalLong.empty(), file.readLong());
        // Longer than the initial buffer: the buffer grows instead of truncating.
        Files.writeString(f, "x 1\n".repeat(3000) + "Last: 7 kB\n");
        assertTrue(file.reload());
        assertEquals(OptionalLong.of(7), file.valueOf("Last"));
        assertEquals(OptionalLong.empty(), file.valueOf("Las"), "a prefix of a key is not the key");
    }

    @Test
    void processMemoryReadsTheRecordedTree() {
        ProcessMemory pm = new ProcessMemory(Trees.roots(Trees.PC));
        assertEquals(OptionalLong.of(3145728 * KIB), pm.residentBytes());
        assertEquals(OptionalLong.of(3670016 * KIB), pm.peakResidentBytes());
        assertFalse(pm.resetPeak());
    }

    @Test
    void resetPeakWritesFiveToClearRefs(@TempDir Path dir) throws IOException {
        Path tree = Trees.copy(Trees.PC, dir);
        Path clearRefs = tree.resolve("proc/self/clear_refs");
        Files.writeString(clearRefs, "");
        assertTrue(new ProcessMemory(Roots.under(tree)).resetPeak());
        assertEquals("5", Files.readString(clearRefs));
    }

    @Test
    void liveProcessHasResidentMemory() {
        ProcessMemory pm = ProcessMemory.system();
        long rss = pm.residentBytes().orElseThrow();
        assertTrue(rss > 1024 * 1024, "a JVM is larger than 1 MiB, was " + rss);
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertTrue(pm.peakResidentBytes().orElseThrow() >= rss);
        }
    }
}
