package dev.messengerhandover.bench;

import static dev.messengerhandover.bench.BenchmarkIT.ms;
import static dev.messengerhandover.bench.BenchmarkIT.p;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.testing.BotStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.PackagedFunction;
import dev.messengerhandover.testing.SampleEvents;

/**
 * Section 8 of the benchmark: the bot behind the default app. A delivery's latency and its calls with each kind of
 * bot (the catalogue, the team's HTTP bot, Lex, Bedrock; the last three the {@link BotStandIn}, answering after 0 ms
 * and after 1 s); what the bot feature costs a deployment that keeps the catalogue (start-up against the code before
 * the feature, built from git in the same run, and the classes loaded up to the first answer); and what a Bedrock
 * answer costs in tokens, read from the function's own {@code BotInputTokens} / {@code BotOutputTokens} metrics.
 */
final class BotSection {

    /** Messages timed per bot with the stand-in answering at once, and after 1 s. */
    static final int MESSAGES = Integer.getInteger("bench.bot-messages", 200);
    static final int SLOW_MESSAGES = Integer.getInteger("bench.bot-slow-messages", 30);
    static final long SLOW_BOT_MILLIS = 1_000;
    /** The last commit before the bot feature: the "before" of the start-up comparison. */
    static final String BEFORE = System.getProperty("bench.before-bots", "920921f");
    /**
     * Amazon Nova Micro, on demand, us-east-1, USD per million tokens, as third parties quote the AWS Bedrock pricing
     * page (aws.amazon.com/bedrock/pricing): to be checked there.
     */
    static final double NOVA_MICRO_INPUT_PER_MILLION = 0.035;
    static final double NOVA_MICRO_OUTPUT_PER_MILLION = 0.14;
    static final int MAX_TOKENS = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchmarkIT bench;

    BotSection(BenchmarkIT bench) {
        this.bench = bench;
    }

    /** What one kind of bot is, to the function's environment. */
    record Kind(String name, Map<String, String> environment) {
    }

    void run(BotStandIn bots) throws IOException, InterruptedException {
        // Graph at 0 ms, so that the bot is the only wait (the sections before leave it at 100 ms).
        bench.graph.latency(0);
        var kinds = List.of(new Kind("catalogue", Map.of()),
                new Kind("http", Map.of("HANDOVER_BOT", "http", "HANDOVER_BOT_HTTP_URL", bots.httpBotUrl(),
                        "HANDOVER_BOT_HTTP_SECRET", BotStandIn.HTTP_SECRET)),
                new Kind("lex", Map.of("HANDOVER_BOT", "lex", "HANDOVER_BOT_LEX_BOT_ID", BotStandIn.LEX_BOT_ID,
                        "HANDOVER_BOT_LEX_ALIAS_ID", BotStandIn.LEX_ALIAS_ID, "AWS_ENDPOINT_URL_LEX_RUNTIME_V2",
                        bots.url())),
                new Kind("bedrock", Map.of("HANDOVER_BOT", "bedrock", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bots.url())));
        latency(bots, kinds);
        startUp(bots, kinds.get(0), kinds.get(1));
    }

    // --- latency and calls per kind ---------------------------------------------------------------------------------

    private void latency(BotStandIn bots, List<Kind> kinds) {
        var rows = new ArrayList<String>();
        var tokens = new LinkedHashMap<String, double[]>();
        for (var kind : kinds) {
            var env = environment(kind);
            try (var function = new PackagedFunction(env, "bench-bot-" + kind.name())) {
                bots.clear();
                // Warm-up: the JIT, the clients, the bot's first answers.
                for (int i = 0; i < 50; i++) {
                    var user = newUser();
                    bench.send(function, "messaging", text(user, "hi"));
                    bench.send(function, "messaging", text(user, "what about returns?"));
                }
                for (long latency : new long[] { 0, SLOW_BOT_MILLIS }) {
                    bots.clear();
                    bots.latency(latency);
                    int n = latency == 0 ? MESSAGES : SLOW_MESSAGES;
                    var users = new ArrayList<String>();
                    for (int i = 0; i < 20; i++) {
                        users.add(newUser());
                        bench.send(function, "messaging", text(users.get(i), "hi"));
                    }
                    int graphBefore = bench.graph.calls().size();
                    int botBefore = bots.received().size();
                    bench.counter.reset();
                    var times = new ArrayList<Double>();
                    for (int i = 0; i < n; i++) {
                        times.add(bench.timed(function, "messaging", text(users.get(i % users.size()),
                                "do you ship to Belgium? (" + i + ")")));
                    }
                    var counts = bench.counter.counts();
                    rows.add(String.format(Locale.ROOT, "| %s | %d ms | %d | %.1f ms | %.1f ms | %.2f | %.2f | %.2f / %.2f |",
                            kind.name(), latency, n, p(times, 50), p(times, 99),
                            (double) (bots.received().size() - botBefore) / n,
                            (double) (bench.graph.calls().size() - graphBefore) / n, (double) counts.reads() / n,
                            (double) counts.writes() / n));
                    if (kind.name().equals("bedrock") && latency == 0) {
                        tokens.put("bedrock", tokens(function, bots, n));
                    }
                }
            }
        }
        bots.latency(0);
        bench.section("8. Bring your own bot: one message per delivery, each kind of bot",
                "the bots are the tests' stand-ins (the team's HTTP bot, Lex V2's RecognizeText, Bedrock's Converse, on "
                        + "their wire formats, SigV4 checked), answering at once or after 1 s; Graph at 0 ms; each "
                        + "message to one of 20 threads the bot already holds, after 100 warm-up events");
        bench.row("| bot | bot answers after | messages | p50 | p99 | bot calls per message | Graph calls per message "
                + "| DynamoDB reads / writes per message |");
        bench.row("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(bench::row);
        var t = tokens.get("bedrock");
        if (t != null) {
            bench.row("");
            bench.row(String.format(Locale.ROOT, "Bedrock tokens per answer, from the function's BotInputTokens / "
                    + "BotOutputTokens metrics (the stand-in's `usage`: a quarter of the characters of the system "
                    + "prompt and the conversation sent, a rough tokenizer): input p50 %.0f (first message of a thread "
                    + "%.0f, longest transcript %.0f), output p50 %.0f. The whole request body, tool definition and "
                    + "JSON included, is %.0f characters at p50 (%.0f \"tokens\" at 4 characters each). At Amazon "
                    + "Nova Micro's on-demand price in us-east-1 as quoted by third parties from the AWS Bedrock "
                    + "pricing page ($%.3f per million input tokens, $%.2f per million output tokens; check it "
                    + "there): **$%.2f per million answers** from the metrics, $%.2f counting the whole request, "
                    + "$%.2f with every answer at the %d-token cap.", t[0], t[1], t[2], t[3], t[4], t[4] / 4,
                    NOVA_MICRO_INPUT_PER_MILLION, NOVA_MICRO_OUTPUT_PER_MILLION,
                    t[0] * NOVA_MICRO_INPUT_PER_MILLION + t[3] * NOVA_MICRO_OUTPUT_PER_MILLION,
                    t[4] / 4 * NOVA_MICRO_INPUT_PER_MILLION + t[3] * NOVA_MICRO_OUTPUT_PER_MILLION,
                    t[4] / 4 * NOVA_MICRO_INPUT_PER_MILLION + MAX_TOKENS * NOVA_MICRO_OUTPUT_PER_MILLION, MAX_TOKENS));
        }
    }

    /**
     * Input p50, input of a thread's first message, input max, output p50 (tokens, from the function's metrics), and
     * the p50 of the request bodies' characters, over the last {@code n} answers.
     */
    private double[] tokens(PackagedFunction function, BotStandIn bots, int n) {
        var input = new ArrayList<Double>();
        var output = new ArrayList<Double>();
        try {
            for (var line : Files.readAllLines(PackagedFunction.log("bench-bot-bedrock"), StandardCharsets.UTF_8)) {
                if (!line.startsWith("{\"_aws\"")) {
                    continue;
                }
                var document = JSON.readTree(line);
                for (var name : List.of("BotInputTokens", "BotOutputTokens")) {
                    var values = document.path(name);
                    var into = name.equals("BotInputTokens") ? input : output;
                    if (values.isArray()) {
                        values.forEach(v -> into.add(v.asDouble()));
                    } else if (values.isNumber()) {
                        into.add(values.asDouble());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(input).as("BotInputTokens in the function's log").isNotEmpty();
        var first = input.getFirst();
        var lastInput = input.subList(Math.max(0, input.size() - n), input.size());
        var lastOutput = output.subList(Math.max(0, output.size() - n), output.size());
        var bodies = bots.received().stream().filter(r -> r.backend().equals("bedrock"))
                .map(r -> (double) r.request().body().length).toList();
        return new double[] { p(lastInput, 50), first, lastInput.stream().mapToDouble(Double::doubleValue).max()
                .orElse(0), p(lastOutput, 50), bodies.isEmpty() ? 0 : p(bodies, 50) };
    }

    // --- start-up: what the feature costs a catalogue deployment ----------------------------------------------------

    private void startUp(BotStandIn bots, Kind catalogue, Kind http) throws IOException, InterruptedException {
        var before = buildBefore();
        var results = new LinkedHashMap<String, List<double[]>>();
        Map<String, Supplier<PackagedFunction>> starts = new LinkedHashMap<>();
        starts.put("catalogue, before the bot feature (" + BEFORE + ")",
                () -> new PackagedFunction(before, environment(catalogue), "bench-bot-cold-before"));
        starts.put("catalogue, now", () -> new PackagedFunction(environment(catalogue), "bench-bot-cold-catalogue"));
        starts.put("http bot, now (its first answer asks the bot)",
                () -> new PackagedFunction(environment(http), "bench-bot-cold-http"));
        bots.clear();
        for (int run = 0; run < BenchmarkIT.COLD_RUNS; run++) {
            // Alternate, so that drift of the machine hits all alike.
            starts.forEach((name, start) -> results.computeIfAbsent(name, k -> new ArrayList<>()).add(cold(start)));
        }
        var classes = new LinkedHashMap<String, long[]>();
        classes.put("catalogue, before the bot feature (" + BEFORE + ")", classesLoaded(() -> new PackagedFunction(
                before, withClassLog(environment(catalogue), "before"), "bench-bot-classes-before"), "before"));
        classes.put("catalogue, now", classesLoaded(() -> new PackagedFunction(withClassLog(environment(catalogue),
                "catalogue"), "bench-bot-classes-catalogue"), "catalogue"));
        classes.put("http bot, now (its first answer asks the bot)", classesLoaded(() -> new PackagedFunction(
                withClassLog(environment(http), "http"), "bench-bot-classes-http"), "http"));

        bench.section("9. What the bot feature costs a deployment that keeps the catalogue",
                BenchmarkIT.COLD_RUNS + " cold starts each, alternating, to the first answer of a user's message; the "
                        + "code before the feature is commit " + BEFORE + ", built in this run with `git archive` "
                        + "(it has no WhatsApp numbers either); classes counted with -Xlog:class+load up to the first "
                        + "answer, one more start each");
        bench.row("| deployment | init p50 | first answer p50 | first answer p99 | classes loaded | of the bot package "
                + "| of the JDK's HTTP client |");
        bench.row("|---|---:|---:|---:|---:|---:|---:|");
        results.forEach((name, runs) -> {
            var init = runs.stream().map(r -> r[0]).toList();
            var total = runs.stream().map(r -> r[1]).toList();
            var c = classes.get(name);
            bench.row(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %d | %d | %d |", name,
                    p(init, 50), p(total, 50), p(total, 99), c[0], c[1], c[2]));
        });
        var names = new ArrayList<>(results.keySet());
        var first = names.stream().map(n -> p(results.get(n).stream().map(r -> r[1]).toList(), 50)).toList();
        bench.row("");
        bench.row(String.format(Locale.ROOT, "Ratios of the first answer p50: catalogue now to before **%.2f×**, "
                + "http bot to catalogue now %.2f×.", first.get(1) / first.get(0), first.get(2) / first.get(1)));
    }

    /** {init ms, first answer ms} of one cold start. */
    private static double[] cold(Supplier<PackagedFunction> start) {
        long started = System.nanoTime();
        try (var function = start.get()) {
            var answer = function.invoke(SampleEvents.webhook(Messenger.delivery("messaging", text(newUser(),
                    "Hi there"))));
            double total = ms(System.nanoTime() - started);
            assertThat(answer.status()).isEqualTo(200);
            return new double[] { function.init().toNanos() / 1e6, total };
        }
    }

    private static Map<String, String> withClassLog(Map<String, String> env, String name) {
        var with = new HashMap<>(env);
        with.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog(name).toAbsolutePath());
        return with;
    }

    private static Path classLog(String name) {
        return Path.of("target", "bench-bot-classes-" + name + ".txt");
    }

    /** {all classes, of dev.messengerhandover.bot, of the JDK's HTTP client} loaded up to the first answer. */
    private static long[] classesLoaded(Supplier<PackagedFunction> start, String name) {
        try (var function = start.get()) {
            var answer = function.invoke(SampleEvents.webhook(Messenger.delivery("messaging", text(newUser(),
                    "Hi there"))));
            assertThat(answer.status()).isEqualTo(200);
            var lines = Files.readAllLines(classLog(name), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("[class,load]")).toList();
            return new long[] { lines.size(),
                    lines.stream().filter(l -> l.contains(" dev.messengerhandover.bot.")).count(),
                    lines.stream().filter(l -> l.contains(" java.net.http.") || l.contains(" jdk.internal.net.http."))
                            .count() };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code function.zip} of the code before the bot feature, built from git into {@code target/}, once. */
    private static Path buildBefore() throws IOException, InterruptedException {
        var dir = Path.of("target", "bench-before-" + BEFORE);
        var zip = dir.resolve("target/function.zip");
        if (Files.exists(zip)) {
            return zip;
        }
        Files.createDirectories(dir);
        var archive = new ProcessBuilder("sh", "-c", "git archive --format=tar " + BEFORE + " | tar -x -C " + dir)
                .inheritIO().start();
        assertThat(archive.waitFor()).as("git archive " + BEFORE).isZero();
        // Offline: what that commit needs is what this build has already resolved (its pom has less, nothing else).
        var build = new ProcessBuilder(dir.resolve("mvnw").toAbsolutePath().toString(), "-B", "-q", "-o", "-f",
                dir.resolve("pom.xml").toString(), "package", "-DskipTests").inheritIO().start();
        assertThat(build.waitFor()).as("build of " + BEFORE).isZero();
        return zip;
    }

    private Map<String, String> environment(Kind kind) {
        var env = bench.environment();
        env.putAll(kind.environment());
        return env;
    }
}
