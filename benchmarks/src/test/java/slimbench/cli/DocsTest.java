package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under {@code docs/} hold to what they show: every {@code java -jar
 * ...benchmarks.jar} command in them, in a code block or inline, parses as the jar would parse it
 * (nothing runs), and every relative link names a file that exists, and a heading of it where the
 * link names one.
 */
class DocsTest {
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyCommandShownParses() throws IOException {
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (Path page : pages()) {
            for (String line : commandLines(Files.readString(page, StandardCharsets.UTF_8))) {
                Optional<List<String>> args = CommandLines.jarArgs(line);
                if (args.isEmpty()) {
                    continue;
                }
                commands++;
                CommandLines.problem(args.get()).ifPresent(p -> problems.add(page + ": " + line + "\n    " + p));
            }
        }
        assertEquals(List.of(), problems, "commands in the docs that do not parse");
        assertTrue(commands > 40, "the docs show " + commands + " commands: is the extraction broken?");
        System.out.println("docs commands parsed: " + commands);
    }

    @Test
    void everyRelativeLinkPointsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
            String text = withoutCode(Files.readString(page, StandardCharsets.UTF_8));
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                links++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no " + resolved + ")");
                } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no heading #" + anchor + " in " + resolved + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "links that lead nowhere");
        assertTrue(links > 20, "the docs have " + links + " relative links: is the extraction broken?");
    }

    /** A README of a front page's length: the rest lives in docs/. */
    @Test
    void theReadmeIsAFrontPage() throws IOException {
        long lines = Files.readAllLines(Path.of("README.md")).size();
        assertTrue(lines <= 200, "README.md has " + lines + " lines");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("ARCHITECTURE.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /**
     * The shell lines of a page: each line of a fenced block, with the lines it continues onto (a
     * trailing {@code \}), and each inline code span, joined where the paragraph wraps it.
     */
    static List<String> commandLines(String markdown) {
        List<String> lines = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        StringBuilder continued = null;
        boolean inBlock = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) {
                prose.append(line).append('\n');
                continue;
            }
            String text = line.strip();
            boolean continues = text.endsWith("\\");
            String part = continues ? text.substring(0, text.length() - 1) : text;
            continued = continued == null ? new StringBuilder(part) : continued.append(' ').append(part);
            if (!continues) {
                lines.add(continued.toString());
                continued = null;
            }
        }
        Matcher m = INLINE_CODE.matcher(prose);
        while (m.find()) {
            lines.add(m.group(1).replace('\n', ' '));
        }
        return lines;
    }

    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "").replaceAll("`[^`]*`", "");
    }

    /** The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static List<String> anchors(Path page) throws IOException {
        return withoutFences(Files.readString(page, StandardCharsets.UTF_8)).lines().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .toList();
    }

    private static String withoutFences(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }
}
