package slimbench.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The recorded /proc, /sys, /etc and /var trees under src/test/resources/probe. */
final class Trees {

    static final String JETSON_NANO = "jetson-nano";
    static final String PC = "pc";
    static final String BROKEN = "broken";

    private Trees() {
    }

    static Path path(String name) {
        try {
            return Path.of(Trees.class.getResource("/probe/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Roots roots(String name) {
        return Roots.under(path(name));
    }

    /** A writable copy, for tests that change files while a sampler runs. */
    static Path copy(String name, Path target) {
        Path source = path(name);
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(p -> {
                try {
                    Path dest = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** A tree whose proc and sys folders exist but hold nothing: every source absent. */
    static Roots empty(Path dir) throws IOException {
        for (String sub : new String[] {"proc", "sys", "etc", "var"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        return Roots.under(dir);
    }
}
