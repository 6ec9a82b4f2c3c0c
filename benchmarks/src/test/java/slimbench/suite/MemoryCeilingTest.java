package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the runner looks for its own cgroup, on the layouts machines have, and how it says what it uses. */
class MemoryCeilingTest {
    private static final String V2_MOUNT = "35 24 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";

    @Test
    void unifiedHierarchy() {
        var c = MemoryCeiling.CgroupParent.candidates(List.of("0::/user.slice/user-1000.slice/session-2.scope"),
                List.of(V2_MOUNT));
        assertEquals(List.of(new MemoryCeiling.CgroupParent(
                Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"), true)), c);
        assertEquals("memory.max", c.get(0).limitFile());
    }

    @Test
    void hybridHierarchyTriesV2ThenV1Memory() {
        var c = MemoryCeiling.CgroupParent.candidates(
                List.of("4:memory:/process_api/7e84", "1:cpu:/", "0::/"),
                List.of("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu"));
        assertEquals(List.of(new MemoryCeiling.CgroupParent(Path.of("/sys/fs/cgroup/unified"), true),
                new MemoryCeiling.CgroupParent(Path.of("/sys/fs/cgroup/memory/process_api/7e84"), false)), c);
        assertEquals("memory.limit_in_bytes", c.get(1).limitFile());
    }

    @Test
    void containerWhoseMountIsItsOwnCgroup() {
        var c = MemoryCeiling.CgroupParent.candidates(List.of("0::/docker/abc"),
                List.of("35 24 0:30 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw"));
        assertEquals(List.of(new MemoryCeiling.CgroupParent(Path.of("/sys/fs/cgroup"), true)), c);
    }

    @Test
    void enforcementIsSaid() {
        assertEquals("none", MemoryCeiling.of(0).describe());
        System.setProperty("slimbench.memory.enforcement", "runner");
        try {
            assertEquals("4096 MiB, enforced by the runner (sampling the tree's RSS)",
                    MemoryCeiling.of(4L << 30).describe());
        } finally {
            System.clearProperty("slimbench.memory.enforcement");
        }
        String here = MemoryCeiling.of(4L << 30).describe();
        assertTrue(here.startsWith("4096 MiB, enforced by "), here);
        System.out.println("outcome memory enforcement on this machine: " + here);
    }
}
