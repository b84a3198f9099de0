package dev.messengerhandover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages show the flow, and the source keeps to it: {@code webhook}, {@code admin} and {@code schedule} (the
 * HTTP edge: Messenger, operators, the sweep's schedule) → {@code thread} (applying plans) → {@code account} (who is
 * served, with which rules) → {@code handover} (the pure rules and the event model), with {@code graph},
 * {@code store}, {@code alert}, {@code metrics}, {@code bot} and {@code aws} at the edges and {@code config},
 * {@code retry} and {@code signature} underneath. Read from the sources: every reference to a
 * package of ours, imported or fully qualified, must be one its layer may make; the graph has no cycle; dev tooling
 * is only in {@code src/dev} under {@code dev.messengerhandover.dev}, and nothing of the function refers to it.
 */
class ArchitectureTest {

    private static final Pattern PACKAGE =
            Pattern.compile("^package dev\\.messengerhandover\\.([a-z]+)[a-z.]*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.messengerhandover\\.([a-z]+)\\b");

    /** What each top-level package of the function may refer to, besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("handover", Set.of()),
            Map.entry("retry", Set.of()),
            Map.entry("aws", Set.of()),
            Map.entry("signature", Set.of()),
            Map.entry("config", Set.of("handover")),
            Map.entry("graph", Set.of("config", "retry")),
            Map.entry("bot", Set.of("aws", "config", "handover", "retry", "signature")),
            Map.entry("store", Set.of("config", "handover")),
            Map.entry("account", Set.of("aws", "bot", "config", "graph", "handover")),
            Map.entry("alert", Set.of("account", "aws", "config", "handover")),
            Map.entry("metrics", Set.of("account", "config", "handover")),
            Map.entry("thread", Set.of("account", "alert", "bot", "config", "graph", "handover", "metrics",
                    "retry", "store")),
            Map.entry("http", Set.of("metrics", "store", "thread")),
            Map.entry("schedule", Set.of("config", "http", "retry", "thread")),
            Map.entry("webhook", Set.of("config", "handover", "http", "retry", "signature", "thread")),
            Map.entry("admin", Set.of("account", "config", "handover", "http", "retry", "thread")));

    @Test
    void everyPackageReferencesOnlyWhatItsLayerMay() {
        var wrong = new ArrayList<String>();
        var graph = dependencies(Path.of("src/main/java"));
        graph.forEach((from, refs) -> {
            var allowed = ALLOWED.get(from);
            if (allowed == null) {
                wrong.add(from + " is not a known package: add it to the layers here");
                return;
            }
            refs.forEach((to, where) -> {
                if (!to.equals(from) && !allowed.contains(to)) {
                    wrong.add(from + " -> " + to + " in " + where);
                }
            });
        });
        assertThat(wrong).as("references against the layering").isEmpty();
    }

    @Test
    void theAllowedLayersHaveNoCycle() {
        for (var start : ALLOWED.keySet()) {
            assertThat(reachable(start)).as("packages reachable from %s", start).doesNotContain(start);
        }
    }

    @Test
    void devToolingIsItsOwnSourceSetUnderOnePackage() throws IOException {
        var devSources = files(Path.of("src/dev/java"));
        assertThat(devSources).isNotEmpty();
        for (var file : devSources) {
            assertThat(Files.readString(file)).as(file.toString())
                    .containsPattern("(?m)^package dev\\.messengerhandover\\.dev(\\.[a-z]+)*;");
        }
        var devResources = Path.of("src/dev/resources");
        for (var file : files(devResources)) {
            assertThat(devResources.relativize(file).toString()).startsWith("dev/messengerhandover/dev/");
        }
        // The function never refers to the dev tooling, so it compiles and runs without it.
        var graph = dependencies(Path.of("src/main/java"));
        graph.forEach((from, refs) -> assertThat(refs).as("references of %s", from).doesNotContainKey("dev"));
        assertThat(files(Path.of("src/main/java")))
                .noneMatch(f -> f.toString().replace('\\', '/').contains("/dev/messengerhandover/dev/"));
    }

    private Set<String> reachable(String start) {
        var seen = new HashSet<String>();
        var todo = new ArrayList<>(ALLOWED.get(start));
        while (!todo.isEmpty()) {
            var next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(ALLOWED.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** Top-level package to the packages it refers to, each with the first file that does. */
    private static Map<String, Map<String, String>> dependencies(Path sources) {
        var graph = new TreeMap<String, Map<String, String>>();
        for (var file : files(sources)) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var declared = PACKAGE.matcher(text);
            assertThat(declared.find()).as("package of %s", file).isTrue();
            var from = declared.group(1);
            var refs = graph.computeIfAbsent(from, k -> new TreeMap<>());
            var body = text.substring(declared.end());
            var matcher = REFERENCE.matcher(body);
            while (matcher.find()) {
                refs.putIfAbsent(matcher.group(1), sources.relativize(file).toString());
            }
        }
        return graph;
    }

    private static List<Path> files(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
