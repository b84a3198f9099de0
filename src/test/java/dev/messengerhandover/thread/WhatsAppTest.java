package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.Platform.ADMIN_KEY;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static dev.messengerhandover.testing.Platform.WHATSAPP_NUMBER_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.account.ManyAccountsTest;
import dev.messengerhandover.dev.platform.WhatsAppPlatform;
import dev.messengerhandover.testing.BadInput;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Platform;
import dev.messengerhandover.testing.Seeded;
import dev.messengerhandover.testing.Table;
import dev.messengerhandover.testing.WhatsApp;
import dev.messengerhandover.webhook.SignatureVerifier;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A WhatsApp Business number under Conversation Routing, end to end: the platform model plays the user and the
 * helpdesk (the escalation partner), every webhook it owes the bot's app is posted to the function, and what the user
 * receives is read back from the model. The same rules as on Messenger; what differs is the edge: reply buttons, a pass
 * as {@code thread_control}, no take, Done by a pass back or by a release no webhook tells.
 */
@QuarkusTest
@TestProfile(ManyAccountsTest.ManyAccounts.class)
class WhatsAppTest {

    static final String TALK = "Talk to a person";
    static final SignatureVerifier SIGNER = new SignatureVerifier(Platform.APP_SECRET);

    GraphStandIn graph = Platform.graph();

    @Inject
    Sweep sweep;

    @BeforeEach
    void clock() {
        Messenger.resetClock();
    }

    @Test
    void theBotAnswersWithAReplyButtonAndTheButtonHandsTheThreadToTheHelpdesk() {
        var user = newUser();
        var first = play(graph.onWhatsApp(p -> p.userSends(user, "What are your opening hours?")));
        assertThat(first).allSatisfy(r -> r.statusCode(200));
        var answer = lastFromBot(user);
        assertThat(answer.path("text").asText()).contains("9:00");
        assertThat(graph.calls(user)).filteredOn(GraphStandIn.Call::whatsApp).first().satisfies(c -> {
            assertThat(c.node()).isEqualTo(WHATSAPP_NUMBER_ID);
            assertThat(c.authorization()).isEqualTo("Bearer " + Platform.WHATSAPP_TOKEN);
        });

        play(graph.onWhatsApp(p -> p.userSends(user, "I have a question about my order")));
        var offer = lastFromBot(user);
        var button = buttonTitled(offer, TALK);
        play(graph.onWhatsApp(p -> p.userTaps(user, button)));

        assertThat(graph.waOwnerOf(user)).isEqualTo(Platform.HELPDESK_APP_ID);
        var passes = graph.calls(user).stream().filter(GraphStandIn.Call::passes).toList();
        assertThat(passes).singleElement().satisfies(c -> {
            assertThat(c.endpoint()).isEqualTo("thread_control");
            assertThat(c.ok()).isTrue();
        });
        // No message carries a pass on WhatsApp: the notice went first, on its own.
        assertThat(graph.calls(user, "messages")).noneMatch(c -> c.body().has("thread_control"));
        assertThat(lastFromBot(user).path("text").asText()).containsIgnoringCase("person");
        // The helpdesk heard of it, as the escalation partner.
        assertThat(graph.waEvents(user, Platform.HELPDESK_APP_ID)).extracting(WhatsAppPlatform.Event::kind)
                .contains("control_passed");
        assertThat(thread(user).getString("owner.role")).isEqualTo("page_inbox");
        assertThat(queue("waiting")).contains(user);
    }

    @Test
    void whileTheHelpdeskHoldsTheThreadTheBotIsSilentAndTheAgentsReplyEndsTheWait() {
        var user = handedOver();
        int sentBefore = fromBot(user).size();

        play(graph.onWhatsApp(p -> p.userSends(user, "hello? anyone?")));
        assertThat(fromBot(user)).hasSize(sentBefore);

        play(graph.onWhatsApp(p -> p.agentReplies(user, "Hi, Sam here. Let me look at your order.")));
        assertThat(queue("waiting")).doesNotContain(user);
        assertThat(queue("with-agent")).contains(user);
        play(graph.onWhatsApp(p -> p.userSends(user, "thanks")));
        assertThat(fromBot(user)).hasSize(sentBefore);
    }

    @Test
    void doneByAPassBackGivesTheThreadBackAndTheBotAnswersAgain() {
        var user = handedOver();
        play(graph.onWhatsApp(p -> p.agentReplies(user, "Done, your refund is on its way.")));
        play(graph.onWhatsApp(p -> p.agentDone(user, WhatsAppPlatform.Done.PASS_BACK)));

        assertThat(graph.waOwnerOf(user)).isEqualTo(APP_ID);
        assertThat(thread(user).getString("owner.role")).isEqualTo("bot");
        int sent = fromBot(user).size();
        play(graph.onWhatsApp(p -> p.userSends(user, "What are your opening hours?")));
        assertThat(fromBot(user)).hasSizeGreaterThan(sent);
        assertThat(lastFromBot(user).path("text").asText()).contains("9:00");
    }

    @Test
    void doneByAReleaseNoWebhookTellsIsFoundByTheUsersNextMessage() {
        var user = handedOver();
        play(graph.onWhatsApp(p -> p.agentReplies(user, "All sorted.")));
        play(graph.onWhatsApp(p -> p.agentDone(user, WhatsAppPlatform.Done.RELEASE)));
        assertThat(graph.waOwnerOf(user)).isNull();

        int sent = fromBot(user).size();
        play(graph.onWhatsApp(p -> p.userSends(user, "What are your opening hours?")));
        assertThat(graph.waOwnerOf(user)).isEqualTo(APP_ID);
        assertThat(fromBot(user)).hasSizeGreaterThan(sent);
        assertThat(lastFromBot(user).path("text").asText()).contains("9:00");
        assertThat(thread(user).getString("owner.role")).isEqualTo("bot");
    }

    @Test
    void anAgentTakingTheThreadFromTheBotSilencesIt() {
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "hi")));
        var taken = play(graph.onWhatsApp(p -> p.agentTakes(user, "picked from the queue")));
        assertThat(taken).isNotEmpty();
        int sent = fromBot(user).size();

        play(graph.onWhatsApp(p -> p.userSends(user, "What are your opening hours?")));
        assertThat(fromBot(user)).hasSize(sent);
        assertThat(thread(user).getString("owner.role")).isEqualTo("page_inbox");
    }

    @Test
    void nobodyAnsweringIsAlertedAndTheBotNeverTakesTheThreadBack() {
        var user = handedOver();
        long handedOver = Messenger.now();
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(11).toMillis()));
        assertThat(Platform.sns().published()).filteredOn(p -> p.message().contains("User: " + user + "\n"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("Shop WhatsApp")
                        .contains("Please answer it in the helpdesk."));

        sweep.run(Messenger.at(handedOver + Duration.ofHours(3).toMillis()));
        // Only the escalation partner takes on WhatsApp: the thread stays with the helpdesk, and the user is not left
        // without word (the wait is alerted, not silently ended).
        assertThat(graph.calls(user)).noneMatch(c -> "take".equals(c.body() == null ? null
                : c.body().path("action").asText(null)));
        assertThat(graph.waOwnerOf(user)).isEqualTo(Platform.HELPDESK_APP_ID);
    }

    @Test
    void anOperatorCannotTakeAWhatsAppThreadBack() {
        var user = handedOver();
        given().header("X-Api-Key", ADMIN_KEY).contentType("application/json").body("{}")
                .post("/threads/{p}/{u}/take", WHATSAPP_NUMBER_ID, user).then().statusCode(409);
        assertThat(graph.waOwnerOf(user)).isEqualTo(Platform.HELPDESK_APP_ID);
    }

    @Test
    void aPassTheNumberRefusesTellsTheUserAndKeepsTheThreadWithTheBot() {
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "hi")));
        graph.failNext("thread_control", 403, 10, false);
        play(graph.onWhatsApp(p -> p.userSends(user, "I want to talk to a person")));

        assertThat(graph.waOwnerOf(user)).isEqualTo(APP_ID);
        assertThat(thread(user).getString("owner.role")).isEqualTo("bot");
        assertThat(lastFromBot(user).path("text").asText()).startsWith("Sorry, no one can take over right now.");
        assertThat(thread(user).getList("history.kind", String.class)).contains("pass_failed");
    }

    @Test
    void statusesAndFailedStatusesAreAcknowledgedAndChangeNothing() {
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "hi")));
        var state = thread(user).getString("owner.role");
        var wamid = graph.calls(user, "messages").getFirst().messageId();
        Messenger.post(WhatsApp.delivery(WhatsApp.status(user, wamid, "read"),
                WhatsApp.failed(user, wamid, 131047, "Re-engagement message"))).then().statusCode(200);
        assertThat(thread(user).getString("owner.role")).isEqualTo(state);
    }

    @Test
    void aNumberThisDeploymentDoesNotServeIsAcknowledgedAndLeftAlone() {
        var body = WhatsApp.delivery(WhatsApp.text(newUser(), "hi")).replace(WHATSAPP_NUMBER_ID, "999999999999999");
        Messenger.post(body).then().statusCode(200);
        assertThat(graph.calls()).noneMatch(c -> "999999999999999".equals(c.node()));
    }

    @Test
    void theThreadIsStoredUnderTheNumbersOwnId() {
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "hi")));
        assertThat(Table.item(WHATSAPP_NUMBER_ID, user)).containsKey("queue");
        assertThat(Table.item(Platform.PAGE_ID, user)).isEmpty();
    }

    @Test
    void aPassBackAfterTheWindowClosedSaysNothingTheUserCouldNotReceive() {
        var user = handedOver();
        Messenger.advance(Duration.ofHours(25));
        int sent = fromBot(user).size();
        play(graph.onWhatsApp(p -> p.agentDone(user, WhatsAppPlatform.Done.PASS_BACK)));
        assertThat(fromBot(user)).hasSize(sent);
        assertThat(graph.calls(user, "messages")).allMatch(GraphStandIn.Call::ok);
        assertThat(thread(user).getBoolean("windowOpen")).isFalse();
    }

    /**
     * WhatsApp delivers at least once: the same conversation played for two users, one with every delivery posted
     * once, the other with every delivery posted two or three times (some copies after later deliveries), makes the
     * same calls and ends in the same state.
     */
    @Test
    void redeliveriesChangeNothing() {
        var random = new Random(Seeded.SEED);
        var once = newUser();
        var often = newUser();
        for (var user : List.of(once, often)) {
            var late = new ArrayList<String>();
            for (var action : conversation(user)) {
                for (var event : graph.onWhatsApp(action).events()) {
                    if (!APP_ID.equals(event.appId())) {
                        continue;
                    }
                    var body = event.delivery().toString();
                    Messenger.post(body).then().statusCode(200);
                    if (user.equals(often)) {
                        Messenger.post(body).then().statusCode(200);
                        if (random.nextBoolean()) {
                            late.add(body);
                        }
                    }
                }
                if (!late.isEmpty() && random.nextBoolean()) {
                    Messenger.post(late.removeFirst()).then().statusCode(200);
                }
            }
            late.forEach(body -> Messenger.post(body).then().statusCode(200));
        }
        assertThat(calls(often)).isEqualTo(calls(once));
        assertThat(thread(often).getString("owner.role")).isEqualTo(thread(once).getString("owner.role"));
        assertThat(fromBot(often).stream().map(l -> l.path("text").asText()).toList())
                .isEqualTo(fromBot(once).stream().map(l -> l.path("text").asText()).toList());
    }

    /** Four copies of the tap on 'Talk to a person' at once (a retry storm): one notice, one pass. */
    @Test
    void copiesOfOneTapArrivingAtOnceHandOverOnce() throws Exception {
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "I have a question about my order")));
        var button = buttonTitled(lastFromBot(user), TALK);
        var tap = graph.onWhatsApp(p -> p.userTaps(user, button)).events().stream()
                .filter(e -> APP_ID.equals(e.appId())).findFirst().orElseThrow().delivery().toString();
        try (var pool = Executors.newFixedThreadPool(4)) {
            var answers = new ArrayList<Future<Integer>>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> Messenger.post(tap).statusCode()));
            }
            for (var answer : answers) {
                // A copy that finds the first still at work may be asked to come again (503): never a 5xx else.
                assertThat(answer.get()).isIn(200, 503);
            }
        }
        Messenger.post(tap).then().statusCode(200);
        assertThat(graph.calls(user).stream().filter(GraphStandIn.Call::passes)).hasSize(1);
        assertThat(graph.waOwnerOf(user)).isEqualTo(Platform.HELPDESK_APP_ID);
        assertThat(fromBot(user).stream().filter(l -> l.path("text").asText().startsWith("Sure, I'm handing you over")))
                .hasSize(1);
    }

    /** Mutated WhatsApp deliveries, signed: a 4xx with a short JSON error or a 2xx, never a 5xx, and still serving. */
    @Test
    void mutatedDeliveriesOfTheNumberNeverCauseA5xx() {
        var failures = new ArrayList<String>();
        Seeded.forEachCase(300, random -> {
            byte[] body;
            do {
                body = BadInput.mutated(random);
            } while (!new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).contains("whatsapp"));
            var answer = given().contentType("application/json").header("X-Hub-Signature-256",
                    SIGNER.header(body)).body(body).post("/webhook");
            // Past quarkus.http.limits.max-body-size the HTTP layer refuses the body before the function sees it.
            boolean refusedUnread = answer.statusCode() == 413 && answer.asString().isEmpty()
                    && body.length > 2 * 1024 * 1024;
            if (answer.statusCode() >= 500 || answer.statusCode() >= 400 && !refusedUnread
                    && !answer.asString().startsWith("{\"error\":\"")) {
                failures.add(answer.statusCode() + " " + answer.asString());
            }
        });
        assertThat(failures).isEmpty();
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "What are your opening hours?")));
        assertThat(lastFromBot(user).path("text").asText()).contains("9:00");
    }

    /** The calls made for a user, as comparable: endpoint, and the text or action each carried. */
    private List<String> calls(String user) {
        return graph.calls(user).stream().map(c -> c.endpoint() + " " + c.status() + " "
                + c.body().path("text").path("body").asText(c.body().path("interactive").path("body").path("text")
                        .asText(c.body().path("action").asText("")))).toList();
    }

    /** A conversation: a question, a hand-over by the button, a wait, an agent, Done, another question. */
    private static List<Function<WhatsAppPlatform, WhatsAppPlatform.Answer>> conversation(String user) {
        return List.of(p -> p.userSends(user, "What are your opening hours?"),
                p -> p.userSends(user, "I have a question about my order"),
                p -> p.userTaps(user, buttonIdOf(p, user, TALK)),
                p -> p.userSends(user, "hello?"),
                p -> p.agentReplies(user, "Hi, Sam here."),
                p -> p.agentDone(user, WhatsAppPlatform.Done.PASS_BACK),
                p -> p.userSends(user, "Can I return my shoes?"));
    }

    private static String buttonIdOf(WhatsAppPlatform p, String user, String title) {
        var lines = p.thread(user).lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            for (var b : lines.get(i).path("buttons")) {
                if (b.path("title").asText().equals(title)) {
                    return b.path("id").asText();
                }
            }
        }
        throw new AssertionError("no button '" + title + "' for " + user);
    }

    // --- the conversation, as the number's model plays it ------------------------------------------------------

    /** A user the number knows, with the bot owning their thread. */
    private String newUser() {
        var user = WhatsApp.newUser();
        graph.onWhatsApp(p -> p.addUser("User " + user, user, null));
        return user;
    }

    /** A user whose thread the bot handed to the helpdesk (by the offer's button), waiting. */
    private String handedOver() {
        var user = newUser();
        play(graph.onWhatsApp(p -> p.userSends(user, "I want to talk to a person")));
        assertThat(graph.waOwnerOf(user)).isEqualTo(Platform.HELPDESK_APP_ID);
        return user;
    }

    /**
     * Posts every webhook the model owes the bot's app for this action, in order, signed as WhatsApp signs them;
     * returns the function's answers.
     */
    private List<io.restassured.response.ValidatableResponse> play(WhatsAppPlatform.Answer answer) {
        assertThat(answer.ok()).as("the platform accepted the action: %s", answer.body()).isTrue();
        return answer.events().stream().filter(e -> APP_ID.equals(e.appId()))
                .map(e -> Messenger.post(e.delivery().toString()).then().statusCode(200)).toList();
    }

    /** What the bot sent this user, as the user's chat shows it. */
    private List<JsonNode> fromBot(String user) {
        return graph.onWhatsApp(p -> {
            var lines = new java.util.ArrayList<JsonNode>();
            p.thread(user).lines().forEach(line -> {
                if (APP_ID.equals(line.path("app").asText())) {
                    lines.add(line);
                }
            });
            return lines;
        });
    }

    private JsonNode lastFromBot(String user) {
        var lines = fromBot(user);
        assertThat(lines).as("the bot sent something").isNotEmpty();
        return lines.getLast();
    }

    private static String buttonTitled(JsonNode line, String title) {
        for (var b : line.path("buttons")) {
            if (b.path("title").asText().equals(title)) {
                return b.path("id").asText();
            }
        }
        throw new AssertionError("no button '" + title + "' in " + line);
    }

    private static JsonPath thread(String user) {
        return given().header("X-Api-Key", ADMIN_KEY).get("/threads/{p}/{u}", WHATSAPP_NUMBER_ID, user).then()
                .statusCode(200).extract().jsonPath();
    }

    private static List<String> queue(String state) {
        return given().header("X-Api-Key", ADMIN_KEY).queryParam("state", state).queryParam("limit", 100)
                .get("/threads/{p}", WHATSAPP_NUMBER_ID).then().statusCode(200).extract().jsonPath()
                .getList("threads.userId", String.class);
    }
}
