package dev.messengerhandover.dev.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.config.MessengerConfig;
import dev.messengerhandover.dev.PlatformClock;
import dev.messengerhandover.webhook.SignatureVerifier;
import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The emulated Messenger Platform at work: holds the {@link EmulatedPage}, posts its deliveries to the function's
 * webhook signed with the app secret, one at a time and in order (Messenger retries a refused delivery; so do we, a
 * little), and tells the page when something changed. Dev and test builds only: never in function.zip.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public class Emulator {

    private static final Logger LOG = Logger.getLogger(Emulator.class);
    private static final List<Duration> RETRIES = List.of(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(2));

    private final EmulatedPage page;
    private final URI webhook;
    private final SignatureVerifier signer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    // One sender: Messenger delivers one user's events in order, and the page shows them in that order.
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "emulator-webhook");
        t.setDaemon(true);
        return t;
    });
    private final BroadcastProcessor<Long> changes = BroadcastProcessor.create();

    public Emulator(MessengerConfig messenger, EmulatorConfig config, HandoverConfig handover) {
        this.page = new EmulatedPage(pages(messenger, config), messenger.appId(), messenger.pageInboxAppId(),
                messenger.instagramInboxAppId(), config.mode(), System::currentTimeMillis);
        numbers(pagesJson(messenger, config), config.helpdeskAppId()).forEach(page::addNumber);
        page.zones(zones(pagesJson(messenger, config), handover));
        config.clockStart().filter(start -> !start.isBlank()).ifPresent(start -> page.startAt(start(start,
                page.zone(), java.time.Instant.ofEpochMilli(System.currentTimeMillis()))));
        if (config.drivesClock()) {
            PlatformClock.use(page::now);
        }
        this.webhook = config.webhookUrl();
        this.signer = new SignatureVerifier(messenger.appSecret());
        // The emulator serves the Pages secret the function reads: the page can switch each account's bot.
        this.bots = config.pages().filter(p -> !p.isBlank()).isPresent() && handover.pagesSecret().filter(
                s -> !s.isBlank()).isPresent()
                        ? new EmulatedBots(page, config.pages().get(), handover.pagesSecret().get(), () -> baseUrl,
                                Emulator::credentials, handover.bot().lex().handoffIntent())
                        : null;
    }

    private volatile String baseUrl;
    private final EmulatedBots bots;
    private static volatile software.amazon.awssdk.identity.spi.AwsCredentialsIdentity credentials;

    /** The emulator's address, once its server listens: where the HTTP bots answer. */
    void listening(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The accounts' bots, when the emulator serves the Pages secret (dev mode); empty when the function's Pages are its
     * own ({@code messenger.pages}, one Page's token): their bots are set at its start-up.
     */
    public java.util.Optional<EmulatedBots> bots() {
        return java.util.Optional.ofNullable(bots);
    }

    /**
     * The credentials the function signs Lex and Bedrock calls with, by the same chain in the same JVM: the stand-ins
     * check the signatures as AWS would. Resolved on the first call, after dev mode gave the SDK what it lacked.
     */
    private static software.amazon.awssdk.identity.spi.AwsCredentialsIdentity credentials() {
        var c = credentials;
        if (c == null) {
            c = software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build()
                    .resolveCredentials();
            credentials = c;
        }
        return c;
    }

    /**
     * The Pages the function is configured for, so that the emulator accepts their tokens: {@code messenger.pages},
     * or the one Page of {@code messenger.page-access-token} as {@code emulator.page-id}.
     */
    static List<EmulatedPage.PageSpec> pages(MessengerConfig messenger, EmulatorConfig config) {
        var json = pagesJson(messenger, config);
        if (json.isEmpty()) {
            return List.of(new EmulatedPage.PageSpec(config.pageId(), messenger.pageAccessToken().orElse(""), "Page",
                    messenger.instagramId().orElse(null)));
        }
        try {
            var pages = new java.util.ArrayList<EmulatedPage.PageSpec>();
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.get());
            root.fields().forEachRemaining(f -> {
                if (!f.getKey().equals(WHATSAPP)) {
                    pages.add(new EmulatedPage.PageSpec(f.getKey(), f.getValue().path("accessToken").asText(),
                            f.getValue().path("name").asText("Page " + f.getKey()),
                            f.getValue().path("instagramId").asText(null)));
                }
            });
            return pages;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the Pages' JSON is not JSON", e);
        }
    }

    private static final String WHATSAPP = "whatsapp";

    /** The Pages' JSON: the emulator's own ({@code emulator.pages}, served as the Pages secret), or the function's. */
    static java.util.Optional<String> pagesJson(MessengerConfig messenger, EmulatorConfig config) {
        return config.pages().filter(p -> !p.isBlank()).or(() -> messenger.pages().filter(p -> !p.isBlank()));
    }

    /**
     * The WhatsApp numbers of the Pages' JSON ({@code "whatsapp": {"<phone number id>": {"wabaId", "accessToken",
     * "name"}}}); the number users see is made up from the id, as the function is not told it.
     */
    static List<EmulatedPage.NumberSpec> numbers(java.util.Optional<String> json, String helpdeskAppId) {
        if (json.isEmpty()) {
            return List.of();
        }
        try {
            var numbers = new java.util.ArrayList<EmulatedPage.NumberSpec>();
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.get());
            root.path(WHATSAPP).fields().forEachRemaining(f -> numbers.add(new EmulatedPage.NumberSpec(f.getKey(),
                    "1555" + f.getKey().substring(Math.max(0, f.getKey().length() - 7)),
                    f.getValue().path("wabaId").asText(), f.getValue().path("accessToken").asText(),
                    f.getValue().path("name").asText("WhatsApp " + f.getKey()), helpdeskAppId)));
            return numbers;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the Pages' JSON is not JSON", e);
        }
    }

    /**
     * {@code emulator.clock-start} ("Mon 09:30"): the first such moment in {@code zone} from {@code now} on, where the
     * platform's clock starts.
     */
    static java.time.Instant start(String setting, java.time.ZoneId zone, java.time.Instant now) {
        var parts = setting.strip().split("\\s+");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("two parts");
            }
            var day = EmulatorServer.day(parts[0]);
            if (day == null) {
                throw new IllegalArgumentException("no day");
            }
            return EmulatedPage.next(day, java.time.LocalTime.parse(parts[1]), zone, now);
        } catch (IllegalArgumentException | java.time.DateTimeException bad) {
            throw new IllegalArgumentException("emulator.clock-start: \"" + setting
                    + "\" is not a day and a time of day, e.g. \"Mon 09:30\"", bad);
        }
    }

    /**
     * The zones the accounts' business hours are in: each Page's own, then the global one (the page shows times in
     * the first: the first Page's), and UTC.
     */
    static List<String> zones(java.util.Optional<String> pagesJson, HandoverConfig handover) {
        var zones = new java.util.LinkedHashSet<String>();
        pagesJson.ifPresent(json -> {
            try {
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).fields().forEachRemaining(
                        page -> {
                            if (!page.getKey().equals(WHATSAPP)) {
                                zones.add(page.getValue().path("timeZone").asText(
                                        handover.availability().timeZone()));
                            }
                        });
            } catch (java.io.IOException e) {
                // the function refuses such pages at start-up, with the reason
            }
        });
        zones.add(handover.availability().timeZone());
        zones.add("UTC");
        return List.copyOf(zones);
    }

    public EmulatedPage page() {
        return page;
    }

    public URI webhook() {
        return webhook;
    }

    /** Runs one action on the page, sends the deliveries it causes, and tells the page's viewers. */
    public EmulatedPage.Outcome act(Supplier<EmulatedPage.Outcome> action) {
        var outcome = action.get();
        outcome.deliveries().forEach(d -> sender.execute(() -> post(d)));
        changed();
        return outcome;
    }

    /** What the function answered a queue call: its status and JSON, or why there is none. */
    public record QueueAnswer(int status, com.fasterxml.jackson.databind.JsonNode body, String error) {
        public boolean ok() {
            return status == 200 && body != null;
        }
    }

    /**
     * The function's operator queue of an account ({@code GET /threads/{account}?state=}), as an operator reads it.
     * A call that fails says so, with the function's status and error: never an empty queue.
     */
    public QueueAnswer queue(String accountId, String state, String adminKey) {
        var path = "/threads/" + accountId + "?state=" + state + "&limit=50";
        var request = HttpRequest.newBuilder(webhook.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("X-Api-Key", adminKey).GET().build();
        try {
            var answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                var why = answer.body();
                try {
                    var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(why).path("error");
                    why = error.isTextual() ? error.asText() : error.path("message").asText(why);
                } catch (java.io.IOException notJson) {
                    // the body as it came
                }
                return new QueueAnswer(answer.statusCode(), null, "the function answered " + answer.statusCode()
                        + " to GET " + path + (why == null || why.isBlank() ? "" : ": " + why));
            }
            return new QueueAnswer(200, new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()),
                    null);
        } catch (java.io.IOException e) {
            return new QueueAnswer(-1, null, "the function did not answer GET " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QueueAnswer(-1, null, "interrupted");
        }
    }

    public void changed() {
        changes.onNext(page.version());
    }

    /** The current version first, then one item per change. */
    public Multi<Long> changes() {
        return Multi.createBy().merging().streams(Multi.createFrom().item(page::version), changes);
    }

    private void post(EmulatedPage.Delivery delivery) {
        var bytes = escapeNonAscii(delivery.body().toString()).getBytes(StandardCharsets.US_ASCII);
        var request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.HEADER, signer.header(bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        int status = -1;
        long started = System.nanoTime();
        for (var wait : RETRIES) {
            sleep(wait);
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception unreachable) {
                LOG.debugf("webhook %s unreachable: %s", webhook, unreachable.toString());
                status = -1;
            }
            if (status == 200) {
                break;
            }
        }
        page.delivered(delivery.timelineIds(), status, (System.nanoTime() - started) / 1_000_000);
        changed();
    }

    /** Meta's serialisation: every non-ASCII UTF-16 unit as lowercase {@code \\uXXXX}, signed as sent. */
    public static String escapeNonAscii(String json) {
        var out = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            if (c < 0x80) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static void sleep(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdownNow();
        changes.onComplete();
    }
}
