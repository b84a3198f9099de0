package dev.messengerhandover.dev.emulator;

import static dev.messengerhandover.dev.emulator.EmulatedPage.MESSAGING;
import static dev.messengerhandover.dev.emulator.EmulatedPage.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The emulator's platform rules against the handover protocol: who hears what, on which channel, what is refused. */
class EmulatedPageTest {

    static final String PAGE = "100000000000001";
    static final String TOKEN = "page-token";
    static final String BOT = "1000000000000001";
    static final String INBOX = "263902037430900";

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    EmulatedPage page;
    String user;

    @BeforeEach
    void newPage() {
        page = new EmulatedPage(PAGE, TOKEN, BOT, INBOX, Duration.ofHours(24), clock::get);
        user = page.addUser("Alex");
    }

    @Test
    void aNewThreadBelongsToTheBotWhichHearsTheUserOnMessaging() {
        var outcome = page.userSends(user, "hi", null);

        assertThat(page.ownerOf(user)).isEqualTo(BOT);
        assertThat(outcome.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo(MESSAGING);
            assertThat(d.event().path("sender").path("id").asText()).isEqualTo(user);
            assertThat(d.event().path("recipient").path("id").asText()).isEqualTo(PAGE);
            assertThat(d.event().path("message").path("text").asText()).isEqualTo("hi");
            var body = d.body(PAGE);
            assertThat(body.path("object").asText()).isEqualTo("page");
            assertThat(body.path("entry").get(0).path("id").asText()).isEqualTo(PAGE);
            assertThat(body.path("entry").get(0).path(MESSAGING).get(0)).isEqualTo(d.event());
        });
        assertThat(conversation().path("folder").asText()).isEqualTo("done");
    }

    @Test
    void aQuickReplyCarriesItsPayload() {
        var d = page.userSends(user, "Talk to a person", "TALK_TO_PERSON").deliveries().get(0);
        assertThat(d.event().path("message").path("quick_reply").path("payload").asText()).isEqualTo("TALK_TO_PERSON");
    }

    @Test
    void theBotsMessageIsAnsweredWithAMessageIdAndEchoedToIt() {
        var outcome = graph("POST", "messages", send("Hello there"));

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body().path("recipient_id").asText()).isEqualTo(user);
        var mid = outcome.body().path("message_id").asText();
        assertThat(mid).isNotBlank();
        assertThat(outcome.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo(MESSAGING);
            var echo = d.event().path("message");
            assertThat(echo.path("is_echo").asBoolean()).isTrue();
            assertThat(echo.path("app_id").asText()).isEqualTo(BOT);
            assertThat(echo.path("mid").asText()).isEqualTo(mid);
            assertThat(d.event().path("sender").path("id").asText()).isEqualTo(PAGE);
        });
        assertThat(lastLine().path("from").asText()).isEqualTo("bot");
        assertThat(lastLine().path("quickReplies").get(0).path("title").asText()).isEqualTo("Talk to a person");
    }

    @Test
    void passingToThePageInboxMovesTheThreadToInboxWithANotification() {
        var outcome = graph("POST", "pass_thread_control", pass(INBOX, "reason=user_asked"));

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body().path("success").asBoolean()).isTrue();
        // The new owner (the Page Inbox) hears pass_thread_control; the passing bot is not told.
        assertThat(outcome.deliveries()).isEmpty();
        assertThat(page.ownerOf(user)).isEqualTo(INBOX);
        assertThat(conversation().path("folder").asText()).isEqualTo("inbox");
        assertThat(conversation().path("notified").asBoolean()).isTrue();
        assertThat(conversation().path("role").asText()).isEqualTo("inbox");
    }

    @Test
    void whileTheInboxOwnsTheThreadTheBotHearsTheUserOnStandby() {
        graph("POST", "pass_thread_control", pass(INBOX, null));

        var message = page.userSends(user, "my parcel is late", null).deliveries().get(0);
        var postback = page.userTaps(user, "Track order", "TRACK").deliveries().get(0);

        assertThat(message.channel()).isEqualTo(STANDBY);
        assertThat(message.body(PAGE).path("entry").get(0).has(STANDBY)).isTrue();
        assertThat(postback.channel()).isEqualTo(STANDBY);
        assertThat(postback.event().path("postback").has("payload")).as("no payload on standby").isFalse();
        assertThat(postback.event().path("postback").path("title").asText()).isEqualTo("Track order");
    }

    @Test
    void aPostbackOnMessagingCarriesItsPayload() {
        var d = page.userTaps(user, "Track order", "TRACK").deliveries().get(0);
        assertThat(d.channel()).isEqualTo(MESSAGING);
        assertThat(d.event().path("postback").path("payload").asText()).isEqualTo("TRACK");
    }

    @Test
    void graphRefusesTheBotWhileItDoesNotOwnTheThread() {
        graph("POST", "pass_thread_control", pass(INBOX, null));

        var sending = graph("POST", "messages", send("still here"));
        var passing = graph("POST", "pass_thread_control", pass(INBOX, null));
        var releasing = graph("POST", "release_thread_control", recipient());

        assertError(sending, 10, 2018300);
        assertError(passing, 10, 2018300);
        assertError(releasing, 10, 2018300);
        assertThat(page.ownerOf(user)).isEqualTo(INBOX);
        assertThat(sending.deliveries()).isEmpty();
    }

    @Test
    void graphChecksTheTokenAndTheRequestAsGraphDoes() {
        assertError(page.graph("POST", "messages", "wrong", send("x"), null), 190, 0);
        assertError(page.graph("POST", "messages", null, send("x"), null), 190, 0);
        var noRecipient = JsonNodeFactory.instance.objectNode();
        noRecipient.putObject("message").put("text", "x");
        assertError(graph("POST", "messages", noRecipient), 100, 0);
        var stranger = send("x");
        ((ObjectNode) stranger.path("recipient")).put("id", "123");
        assertError(graph("POST", "messages", stranger), 100, 2018001);
        var empty = recipient();
        empty.putObject("message");
        assertError(graph("POST", "messages", empty), 100, 0);
        assertError(graph("POST", "messages", send("x".repeat(2001))), 100, 0);
        assertError(graph("POST", "pass_thread_control", pass("999", null)), 100, 0);
        assertError(graph("POST", "pass_thread_control", pass(INBOX, "m".repeat(1001))), 100, 0);
        assertError(graph("POST", "request_thread_control", recipient()), 10, 0);
        assertError(graph("POST", "unknown_edge", recipient()), 100, 33);
        assertThat(page.ownerOf(user)).isEqualTo(BOT);
    }

    @Test
    void everyGraphCallIsOnTheTimelineWithItsAnswer() {
        graph("POST", "messages", send("one"));
        page.graph("POST", "messages", "wrong", send("two"), null);

        var calls = new java.util.ArrayList<JsonNode>();
        page.snapshot().path("timeline").forEach(t -> {
            if (t.path("kind").asText().equals("graph")) {
                calls.add(t);
            }
        });
        assertThat(calls).extracting(t -> t.path("status").asInt()).containsExactly(200, 400);
        assertThat(calls.get(1).path("detail").path("response").path("error").path("code").asInt()).isEqualTo(190);
    }

    @Test
    void threadOwnerAndSecondaryReceiversAnswerInGraphsShape() {
        var owner = page.graph("GET", "thread_owner", TOKEN, null, user);
        assertThat(owner.body().path("data").get(0).path("thread_owner").path("app_id").asText()).isEqualTo(BOT);

        var receivers = page.graph("GET", "secondary_receivers", TOKEN, null, null);
        assertThat(receivers.body().path("data").get(0).path("id").asText()).isEqualTo(INBOX);
    }

    @Test
    void theAgentCanReplyOnlyWhileTheInboxOwnsTheThread() {
        assertError(page.agentReplies(user, "Hello"), 10, 2018300);

        graph("POST", "pass_thread_control", pass(INBOX, null));
        var reply = page.agentReplies(user, "Hello, Jo here");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo(STANDBY);
            assertThat(d.event().path("message").path("is_echo").asBoolean()).isTrue();
            assertThat(d.event().path("message").path("app_id").asText()).isEqualTo(INBOX);
            assertThat(d.event().path("message").path("text").asText()).isEqualTo("Hello, Jo here");
        });
        assertThat(conversation().path("notified").asBoolean()).as("answering reads the notification").isFalse();
    }

    @Test
    void doneGivesTheThreadBackToTheBotWithPassThreadControl() {
        graph("POST", "pass_thread_control", pass(INBOX, null));

        var done = page.agentDone(user);

        assertThat(page.ownerOf(user)).isEqualTo(BOT);
        assertThat(conversation().path("folder").asText()).isEqualTo("done");
        assertThat(done.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo(MESSAGING);
            var pass = d.event().path("pass_thread_control");
            assertThat(pass.path("new_owner_app_id").asText()).isEqualTo(BOT);
            assertThat(pass.path("previous_owner_app_id").asText()).isEqualTo(INBOX);
            assertThat(d.event().path("sender").path("id").asText()).isEqualTo(user);
        });
    }

    @Test
    void doneOnAThreadTheInboxDoesNotHoldOnlyFilesIt() {
        page.moveToInbox(user);
        var done = page.agentDone(user);

        assertThat(done.deliveries()).isEmpty();
        assertThat(conversation().path("folder").asText()).isEqualTo("done");
        assertThat(page.ownerOf(user)).isEqualTo(BOT);
    }

    @Test
    void movingToInboxByHandAsksTheBotWithRequestThreadControl() {
        var moved = page.moveToInbox(user);

        assertThat(conversation().path("folder").asText()).isEqualTo("inbox");
        assertThat(page.ownerOf(user)).as("the bot decides").isEqualTo(BOT);
        assertThat(moved.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo(MESSAGING);
            assertThat(d.event().path("request_thread_control").path("requested_owner_app_id").asText())
                    .isEqualTo(INBOX);
        });

        graph("POST", "pass_thread_control", pass(INBOX, "granted"));
        assertThat(page.ownerOf(user)).isEqualTo(INBOX);
    }

    @Test
    void theBotCanTakeTheThreadBack() {
        graph("POST", "pass_thread_control", pass(INBOX, null));

        assertThat(graph("POST", "take_thread_control", recipient()).status()).isEqualTo(200);

        assertThat(page.ownerOf(user)).isEqualTo(BOT);
        assertThat(conversation().path("folder").asText()).isEqualTo("done");
    }

    @Test
    void aQuietThreadBecomesIdleAndEveryAppHearsItOnMessaging() {
        graph("POST", "pass_thread_control", pass(INBOX, null));
        clock.addAndGet(Duration.ofHours(24).toMillis());

        assertThat(page.ownerOf(user)).isNull();
        assertThat(page.graph("GET", "thread_owner", TOKEN, null, user).body().path("data").size()).isZero();
        assertThat(page.userSends(user, "anyone?", null).deliveries().get(0).channel()).isEqualTo(MESSAGING);
        assertThat(graph("POST", "messages", send("I'm here")).status()).isEqualTo(200);
    }

    @Test
    void releaseMakesTheThreadIdle() {
        assertThat(graph("POST", "release_thread_control", recipient()).status()).isEqualTo(200);
        assertThat(page.ownerOf(user)).isNull();
    }

    @Test
    void userInputIsRefusedForUnknownUsersAndEmptyText() {
        assertThat(page.userSends("42", "hi", null).status()).isEqualTo(400);
        assertThat(page.userSends(user, " ", null).status()).isEqualTo(400);
        assertThat(page.userSends(user, " ", null).deliveries()).isEmpty();
    }

    // --- helpers

    EmulatedPage.Outcome graph(String method, String endpoint, JsonNode body) {
        return page.graph(method, endpoint, TOKEN, body, null);
    }

    ObjectNode recipient() {
        var body = JsonNodeFactory.instance.objectNode();
        body.putObject("recipient").put("id", user);
        return body;
    }

    ObjectNode send(String text) {
        var body = recipient().put("messaging_type", "RESPONSE");
        var message = body.putObject("message").put("text", text);
        message.putArray("quick_replies").addObject().put("content_type", "text").put("title", "Talk to a person")
                .put("payload", "TALK_TO_PERSON");
        return body;
    }

    ObjectNode pass(String target, String metadata) {
        var body = recipient().put("target_app_id", target);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return body;
    }

    JsonNode conversation() {
        return page.snapshot().path("conversations").get(0);
    }

    JsonNode lastLine() {
        var lines = conversation().path("messages");
        return lines.get(lines.size() - 1);
    }

    static void assertError(EmulatedPage.Outcome outcome, int code, int subcode) {
        assertThat(outcome.status()).isEqualTo(400);
        var error = outcome.body().path("error");
        assertThat(error.path("code").asInt()).as(error.toString()).isEqualTo(code);
        assertThat(error.path("error_subcode").asInt(0)).as(error.toString()).isEqualTo(subcode);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo("OAuthException");
        assertThat(error.path("fbtrace_id").asText()).isNotBlank();
    }
}
