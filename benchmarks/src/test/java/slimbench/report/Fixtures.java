package slimbench.report;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The recorded result files the tests read. */
final class Fixtures {
    /** The 2019 results, as shipped in the repository (tests run from the project's top directory). */
    static final Path REFERENCE = Path.of("fixtures/reference/blog-2019-tftrt.csv");
    /**
     * A real default run of the 120 TensorFlow cells (2026-11-24, Xeon), written before the runtime,
     * threads_budget and forks columns: the shipped example until 2026-12-06.
     */
    static final Path OLD_DEFAULT = Path.of("benchmarks/src/test/resources/report/default-xeon-2026-11-24/results.csv");

    private Fixtures() {}

    /** A file under src/test/resources/report, e.g. {@code host-a/run1/results.csv}. */
    static Path recorded(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/report/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource report/" + name, e);
        }
    }

    static Path run1() {
        return recorded("host-a/run1/results.csv");
    }

    static Path run2() {
        return recorded("host-a/run2/results.csv");
    }
}
