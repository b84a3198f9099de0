package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.takeThreadControl;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Conversation Routing as Meta runs it today, with this app as the Page's default app: one conversation per numbered
 * behaviour, through the webhook, DynamoDB Local and the Graph stand-in (which runs the same platform model as the
 * emulator). Default behaviour, where it differs, is {@link DefaultBehaviourTest}.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class ConversationRoutingTest {

    static final String NOTICE = HandoffFlowTest.NOTICE;
    static final String WELCOME_BACK = HandoffFlowTest.WELCOME_BACK;

    GraphStandIn graph = Platform.graph();

    @AfterEach
    void realTime() {
        Messenger.resetClock();
    }

    @Test
    void two_theRoutingIsAskedOnceNotOnEveryEvent() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        long probes = graph.calls().stream().filter(c -> c.endpoint().equals("me")).count();
        for (int i = 0; i < 5; i++) {
            deliver("messaging", text(user, "question " + i));
        }
        assertThat(graph.calls().stream().filter(c -> c.endpoint().equals("me")).count()).isEqualTo(probes)
                .isLessThanOrEqualTo(1);
        graph.calls().stream().filter(c -> c.endpoint().equals("me"))
                .forEach(c -> assertThat(c.query()).contains("fields=messaging_feature_status"));
    }

    @Test
    void four_theOwnersExpirationIsStoredAndAPassedExpirationIsIdleTheBotAnswers() {
        var user = newUser();
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        long handedOver = Messenger.now();
        var expires = Instant.parse(Operator.thread(user).getString("owner.expiresAt"));
        assertThat(expires.toEpochMilli()).isEqualTo(handedOver + Duration.ofHours(24).toMillis());

        // Nobody answered for a day: the Inbox's control lapsed; the operator API says so.
        Messenger.advance(Duration.ofHours(25));
        var held = Operator.thread(user);
        assertThat(held.getString("owner.role")).isEqualTo("idle");
        assertThat(held.getString("owner.status")).isEqualTo("idle (expired)");
        assertThat(graph.ownerOf(user)).as("the platform's view").isNull();

        deliver("messaging", text(user, "hello? what are your opening hours?"));
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("expired");
        assertThat(graph.sentTexts(user)).last().asString().startsWith("We're open Monday to Saturday");
    }

    @Test
    void four_thatExpirationComesFromThreadOwnerWhenGraphIsAsked() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        graph.setOwner(user, INBOX_APP_ID); // moved without a webhook to us
        deliver("standby", text(user, "anyone?"));
        var owner = graph.calls(user, "thread_owner").get(0);
        assertThat(owner.ok()).isTrue();
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getString("owner.expiresAt")).isNotNull();
    }

    @Test
    void five_doneAsAReleaseNoWebhookTheNextMessageIsAnsweredNormally() {
        var user = handedOver();
        deliver("standby", text(user, "thank you, all sorted"));
        graph.setOwner(user, null); // the agent's Done released the thread: idle, and no webhook says so
        deliver("messaging", text(user, "one more thing: opening hours?"));
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("released");
        assertThat(graph.sentTexts(user)).last().asString().startsWith("We're open Monday to Saturday");
        assertThat(graph.sentTexts(user)).noneMatch(t -> t.startsWith(WELCOME_BACK));
    }

    @Test
    void five_doneAsAPassBackWelcomesTheUserBack() {
        var user = handedOver();
        graph.setOwner(user, APP_ID);
        deliver("messaging", passThreadControl(user, APP_ID, INBOX_APP_ID, null));
        assertThat(graph.sentTexts(user)).last().asString().startsWith(WELCOME_BACK);
        assertThat(Operator.thread(user).getString("history[0].kind")).isEqualTo("returned");
    }

    @Test
    void six_theInboxTakesControlByItselfAndTheBotFollowsAndStaysSilent() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        // An admin moves the conversation to the main folder: the Inbox takes the thread.
        graph.setOwner(user, INBOX_APP_ID);
        deliver("messaging", takeThreadControl(user, APP_ID, INBOX_APP_ID));
        deliver("standby", text(user, "hello?"));
        deliver("standby", echo(user, INBOX_APP_ID, "Hi, this is Dana."));
        assertThat(graph.calls(user, "messages")).hasSize(1);
        assertThat(graph.passes(user)).isEmpty();
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getString("history[0].kind")).isEqualTo("followed");
    }

    @Test
    void eight_noWelcomeBackAfterAHoldLongerThanTheMessagingWindow() {
        Messenger.advance(Duration.ofHours(-30));
        var user = handedOver();
        int before = graph.calls(user).size();
        Messenger.advance(Duration.ofHours(25)); // the agent takes a day: the user's window has closed
        graph.setOwner(user, APP_ID);
        deliver("messaging", passThreadControl(user, APP_ID, INBOX_APP_ID, null));
        assertThat(graph.calls(user)).as("nothing attempted that Graph would refuse").hasSize(before);
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("message_skipped");
        assertThat(thread.getString("history[0].reason")).isEqualTo("outside_window");
        assertThat(thread.getBoolean("windowOpen")).isFalse();
    }

    @Test
    void nine_graphsThreadControlErrorsAreTypedNeverRetried() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        graph.setOwner(user, Platform.OTHER_APP_ID); // another app controls it, and we heard nothing
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        assertThat(graph.calls(user)).extracting(c -> c.status() + " " + c.endpoint())
                .containsExactly("200 messages", "400 messages", "200 thread_owner");
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.appId")).isEqualTo(Platform.OTHER_APP_ID);
        assertThat(thread.getList("history.kind", String.class)).containsSubsequence("pass_failed", "resync");

        var other = handedOver();
        graph.fail(new GraphStandIn.Fault("take_thread_control", 400, GraphStandIn.error(27, 2018464,
                "(#27) take_thread_control is not available", false), 0, false, false));
        given().header("X-Api-Key", Platform.ADMIN_KEY)
                .post("/threads/{p}/{u}/take", Platform.PAGE_ID, other).then().statusCode(409)
                .body("refused", org.hamcrest.Matchers.containsString("no default app"));
        assertThat(graph.calls(other, "take_thread_control")).hasSize(1);
    }

    private String handedOver() {
        var user = newUser();
        deliver("messaging", text(user, "I'd like to talk to a person please"));
        assertThat(graph.passes(user)).singleElement()
                .satisfies(c -> assertThat(c.body().path("message").path("text").asText()).startsWith(NOTICE));
        assertThat(Operator.thread(user).getString("owner.appId")).isEqualTo(INBOX_APP_ID);
        return user;
    }
}
