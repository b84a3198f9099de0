package dev.messengerhandover.deploy;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.SampleEvents.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.DynamoDbLocal;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.PackagedFunction;
import dev.messengerhandover.dev.platform.WhatsAppPlatform;
import dev.messengerhandover.testing.SampleEvents;

/**
 * The packaged function, run as Lambda runs it (its own process, prod profile, settings from the environment, events
 * from the Runtime API), fed the very sample events that {@code sam local invoke} takes, in the order of the handoff.
 */
class PackagedFunctionIT {

    static final String WHATSAPP_TOKEN = "sample-whatsapp-token";
    static final String HELPDESK = "400000000000006";

    static DynamoDbLocal dynamo;
    static GraphStandIn graph;

    @BeforeAll
    static void platform() {
        dynamo = new DynamoDbLocal().start();
        graph = new GraphStandIn(List.of(new GraphStandIn.Page(SampleEvents.PAGE_ID, SampleEvents.PAGE_TOKEN,
                SampleEvents.INSTAGRAM_ID)), SampleEvents.APP_SECRET, SampleEvents.APP_ID, Set.of(INBOX_APP_ID),
                System::currentTimeMillis);
        graph.addWhatsApp(new GraphStandIn.WhatsAppNumber(new WhatsAppPlatform.PhoneNumber(
                SampleEvents.WHATSAPP_NUMBER_ID, SampleEvents.WHATSAPP_DISPLAY_NUMBER, SampleEvents.WABA_ID,
                WHATSAPP_TOKEN), HELPDESK, null));
    }

    @AfterAll
    static void stop() {
        graph.close();
        dynamo.close();
    }

    /** The settings a Page owner gives the function, as in {@code events/env.json}, pointed at the local stand-ins. */
    static Map<String, String> environment() {
        var env = SampleEvents.environment(dynamo.endpoint(), graph.url());
        env.put("HANDOVER_CREATE_TABLE", "true");
        return env;
    }

    @Test
    void theSampleHandoffRunsThroughTheLambdaRuntime() {
        graph.reset();
        // The samples' conversation happens now: the function measures the messaging window by its clock.
        long now = System.currentTimeMillis();
        try (var function = new PackagedFunction(environment(), "packaged-function")) {
            var verified = function.invoke(SampleEvents.raw("verify-webhook"));
            assertThat(verified.status()).isEqualTo(200);
            assertThat(verified.body()).isEqualTo("1158201444");

            var message = function.invoke(SampleEvents.fresh("user-message", now));
            assertThat(message.status()).isEqualTo(200);
            assertThat(message.json().path("applied").asInt()).isEqualTo(1);
            assertThat(graph.sentTexts(USER)).singleElement().asString().startsWith("We're open");
            assertThat(graph.calls(USER, "messages").get(0).body().path("message").path("quick_replies")
                    .findValuesAsText("payload")).contains("TALK_TO_PERSON");

            var talk = function.invoke(SampleEvents.fresh("talk-to-person", now));
            assertThat(talk.status()).isEqualTo(200);
            // Conversation Routing: the hand-over notice carries the pass, one Send API call.
            assertThat(graph.passes(USER)).singleElement().satisfies(c -> {
                assertThat(c.endpoint()).isEqualTo("messages");
                assertThat(c.passedTo()).isEqualTo(INBOX_APP_ID);
            });
            assertThat(graph.ownerOf(USER)).isEqualTo(INBOX_APP_ID);
            int callsWhileHandedOver = graph.calls(USER).size();

            assertThat(function.invoke(SampleEvents.fresh("standby-message", now)).status()).isEqualTo(200);
            assertThat(graph.calls(USER)).hasSize(callsWhileHandedOver);

            graph.setOwner(USER, SampleEvents.APP_ID); // what the Page Inbox does when the agent clicks Done
            assertThat(function.invoke(SampleEvents.fresh("done", now)).status()).isEqualTo(200);
            assertThat(graph.sentTexts(USER)).last().asString().startsWith("Thanks for your patience!");

            // An Instagram direct message, through the same webhook: answered with the linked Page's token.
            var instagram = function.invoke(SampleEvents.fresh("instagram-message", now));
            assertThat(instagram.status()).isEqualTo(200);
            assertThat(instagram.json().path("applied").asInt()).isEqualTo(1);
            assertThat(graph.calls(SampleEvents.INSTAGRAM_USER, "messages")).singleElement().satisfies(c -> {
                assertThat(c.ok()).isTrue();
                assertThat(c.authorization()).isEqualTo("Bearer " + SampleEvents.PAGE_TOKEN);
                assertThat(c.appsecretProof()).isNotBlank();
            });

            var status = function.invoke(SampleEvents.raw("operator-status"));
            assertThat(status.status()).isEqualTo(200);
            var thread = status.json();
            assertThat(thread.path("owner").path("role").asText()).isEqualTo("bot");
            assertThat(thread.path("history").findValuesAsText("kind")).containsSubsequence("returned", "passed");
            assertThat(thread.path("transcript").findValuesAsText("text")).contains("My order 1042 never arrived");
        }
        // Prod logs: one JSON object per line, queryable by account, user, event and outcome; never a secret.
        var log = readLog("packaged-function");
        var outcomes = log.lines().filter(l -> l.startsWith("{")).map(PackagedFunctionIT::json)
                .filter(j -> j.path("mdc").has("outcome")).toList();
        assertThat(outcomes).extracting(j -> j.path("mdc").path("outcome").asText()).contains("applied", "recorded");
        assertThat(outcomes).allSatisfy(j -> {
            var instagram = j.path("mdc").path("platform").asText().equals("instagram");
            assertThat(j.path("mdc").path("account").asText())
                    .isEqualTo(instagram ? SampleEvents.INSTAGRAM_ID : SampleEvents.PAGE_ID);
            assertThat(j.path("mdc").path("user").asText())
                    .isEqualTo(instagram ? SampleEvents.INSTAGRAM_USER : USER);
            assertThat(j.path("mdc").path("event").asText()).isNotBlank();
        });
        assertThat(outcomes).extracting(j -> j.path("mdc").path("platform").asText()).contains("messenger",
                "instagram");
        assertThat(log).doesNotContain(SampleEvents.APP_SECRET, SampleEvents.PAGE_TOKEN, SampleEvents.ADMIN_KEY,
                SampleEvents.VERIFY_TOKEN);
    }

    @Test
    void aBrokenBotCatalogueStopsTheFunctionAtInitAndSaysWhatIsWrong() throws java.io.IOException {
        var catalogue = java.nio.file.Files.createTempFile("catalogue", ".json");
        java.nio.file.Files.writeString(catalogue, "{\"greeting\":{\"id\":\"greeting\",\"keywords\":[\"hi\"],"
                + "\"answer\":\"Hi!\"},\"faqs\":[]}");
        var env = environment();
        env.put("HANDOVER_CATALOGUE", catalogue.toString());
        assertThatThrownBy(() -> new PackagedFunction(env, "packaged-function-bad-catalogue").close())
                .isInstanceOfSatisfying(PackagedFunction.NotStarted.class, e -> assertThat(e.initError())
                        .as("what Lambda is told (/init/error)").contains("bot catalogue"));
    }

    @Test
    void functionZipHoldsTheFunctionAndNothingOfTheDevAndTestTooling() throws java.io.IOException {
        List<String> entries;
        try (var zip = new java.util.zip.ZipFile("target/function.zip")) {
            entries = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
        assertThat(entries).contains("dev/messengerhandover/webhook/WebhookResource.class", "bot-catalogue.json",
                "application.properties");
        assertThat(entries).noneMatch(e -> e.contains("DynamoDBLocal") || e.contains("sqlite4java")
                || e.contains("pinpoint") || e.contains("dev/messengerhandover/testing/") || e.contains("junit"));
        // The dev tooling (src/dev: the emulator, the dev-mode DynamoDB Local starter) is compiled on its own; not one
        // of its classes or pages may be in the zip, whatever its package.
        var devClasses = java.nio.file.Path.of("target/dev-classes");
        List<String> devOnly;
        try (var files = java.nio.file.Files.walk(devClasses)) {
            devOnly = files.filter(java.nio.file.Files::isRegularFile).map(f -> devClasses.relativize(f).toString())
                    .toList();
        }
        assertThat(devOnly).hasSizeGreaterThan(5).contains("dev/messengerhandover/dev/emulator/index.html");
        assertThat(entries).doesNotContainAnyElementsOf(devOnly)
                .noneMatch(e -> e.contains("selenium") || e.startsWith("dev/messengerhandover/dev/"));
    }

    static String readLog(String name) {
        try {
            return java.nio.file.Files.readString(PackagedFunction.log(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static com.fasterxml.jackson.databind.JsonNode json(String line) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTamperedOrUnauthorisedSampleIsRefused() {
        try (var function = new PackagedFunction(environment(), "packaged-function-refusals")) {
            var tampered = SampleEvents.raw("user-message").replace("opening hours", "closing hours");
            var refused = function.invoke(tampered);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("error").asText()).isNotBlank();

            var noKey = function.invoke(SampleEvents.raw("operator-status").replace(SampleEvents.ADMIN_KEY, "guess"));
            assertThat(noKey.status()).isEqualTo(401);
            assertThat(noKey.body()).doesNotContain(SampleEvents.ADMIN_KEY);
        }
    }

    /**
     * A WhatsApp number served by the packaged function ({@code MESSENGER_PAGES} with a {@code whatsapp} section):
     * its samples, in the order of a handoff, answered with the number's token, passed by {@code thread_control},
     * and the bot answering again after the helpdesk's pass back.
     */
    @Test
    void theWhatsAppSamplesRunThroughTheLambdaRuntime() {
        graph.reset();
        long now = System.currentTimeMillis();
        var env = environment();
        env.remove("MESSENGER_PAGE_ACCESS_TOKEN");
        env.remove("MESSENGER_INSTAGRAM_ID");
        env.put("MESSENGER_PAGES", "{\"whatsapp\":{\"" + SampleEvents.WHATSAPP_NUMBER_ID + "\":{\"wabaId\":\""
                + SampleEvents.WABA_ID + "\",\"accessToken\":\"" + WHATSAPP_TOKEN + "\",\"name\":\"Shop\"}}}");
        var user = SampleEvents.WA_USER;
        try (var function = new PackagedFunction(env, "packaged-whatsapp")) {
            var message = function.invoke(SampleEvents.fresh("whatsapp-message", now));
            assertThat(message.status()).isEqualTo(200);
            assertThat(graph.calls(user, "messages")).singleElement().satisfies(c -> {
                assertThat(c.node()).isEqualTo(SampleEvents.WHATSAPP_NUMBER_ID);
                assertThat(c.authorization()).isEqualTo("Bearer " + WHATSAPP_TOKEN);
                assertThat(c.ok()).isTrue();
            });

            assertThat(function.invoke(SampleEvents.fresh("whatsapp-talk-to-person", now)).status()).isEqualTo(200);
            assertThat(graph.passes(user)).singleElement().satisfies(c -> assertThat(c.endpoint())
                    .isEqualTo("thread_control"));
            assertThat(graph.waOwnerOf(user)).isEqualTo(HELPDESK);

            graph.onWhatsApp(p -> {
                p.setOwner(user, SampleEvents.APP_ID); // what the helpdesk's pass back does
                return null;
            });
            int sent = graph.calls(user, "messages").size();
            assertThat(function.invoke(SampleEvents.fresh("whatsapp-control-passed", now)).status()).isEqualTo(200);
            assertThat(graph.calls(user, "messages")).hasSize(sent + 1);
        }
        var log = readLog("packaged-whatsapp");
        assertThat(log).doesNotContain(WHATSAPP_TOKEN, SampleEvents.APP_SECRET);
        // A phone number is personal data: the logs name the user by a digest.
        assertThat(log).doesNotContain(user);
    }

    @Test
    void withoutItsSecretsTheFunctionRefusesToStartAndSaysWhichIsMissing() {
        var env = environment();
        env.remove("MESSENGER_APP_SECRET");
        assertThatThrownBy(() -> new PackagedFunction(env, "packaged-function-no-secret").close())
                .isInstanceOfSatisfying(PackagedFunction.NotStarted.class, e -> assertThat(e.initError())
                        .as("what Lambda is told (/init/error)").contains("messenger.app-secret"));
        // The same as a program, the way the native image's bootstrap starts it.
        assertThatThrownBy(() -> PackagedFunction.program(env, "packaged-program-no-secret").close())
                .isInstanceOfSatisfying(PackagedFunction.NotStarted.class, e -> assertThat(e.initError())
                        .as("what Lambda is told (/init/error)").contains("messenger.app-secret")
                        .contains("Runtime.ConfigError"));
        assertThat(graph.calls()).noneMatch(c -> c.authorization() == null);
    }
}
