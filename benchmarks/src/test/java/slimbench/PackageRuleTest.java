package slimbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages in the order the data flows, each depending only on those before it: the rule
 * ARCHITECTURE.md states, checked by a scan of every import and qualified name in the main sources
 * (comments and string literals left out).
 */
class PackageRuleTest {
    /** Lowest first: a package may use only the packages before it. */
    static final List<String> ORDER = List.of("model", "stats", "probe", "natives", "engine", "bench", "tensorrt",
            "suite", "report", "cli");

    private static final Path MAIN = Path.of("benchmarks/src/main/java/slimbench");
    private static final Pattern REFERENCE = Pattern.compile("\\bslimbench\\.([a-z]+)\\b");

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
        List<String> broken = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f).getName(0).toString();
                seen.add(pkg);
                Matcher m = REFERENCE.matcher(code(Files.readString(f)));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && ORDER.contains(used) && ORDER.indexOf(used) > ORDER.indexOf(pkg)) {
                        broken.add(MAIN.relativize(f) + " uses slimbench." + used);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(ORDER), seen, "every package has its place in ORDER and ARCHITECTURE.md");
        assertTrue(broken.isEmpty(), "upward dependencies:\n" + String.join("\n", new TreeSet<>(broken)));
    }

    @Test
    void theScanSeesImportsAndQualifiedNamesButNotCommentsOrStrings() {
        String code = code("import slimbench.cli.Main; // slimbench.report\n/* slimbench.suite */ String s = "
                + "\"slimbench.engine.X\"; slimbench.bench.Breakdown.x();");
        Matcher m = REFERENCE.matcher(code);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("cli", "bench"), found);
    }

    @Test
    void architectureListsThePackagesInTheSameOrder() throws IOException {
        String doc = Files.readString(Path.of("ARCHITECTURE.md"));
        int last = -1;
        for (String pkg : ORDER) {
            int at = doc.indexOf("| `" + pkg + "` |");
            assertTrue(at > last, pkg + " is listed in ARCHITECTURE.md's table, after the packages below it");
            last = at;
        }
    }

    /** The source without its comments and string and char literals. */
    static String code(String source) {
        return LITERAL_OR_COMMENT.matcher(source).replaceAll(" ");
    }

    /** One pass, so that a quote in a comment or a {@code //} in a string is taken for what it is. */
    private static final Pattern LITERAL_OR_COMMENT = Pattern.compile(
            "(?s)/\\*.*?\\*/|//[^\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\])+'");
}
