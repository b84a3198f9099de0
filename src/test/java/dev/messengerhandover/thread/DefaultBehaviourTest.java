package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.requestThreadControl;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.dev.platform.MessengerPlatform;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A Page in default behaviour (no default app): every app hears idle threads on {@code messaging}, so the channel no
 * longer says who holds a thread; {@code take_thread_control} is blocked, {@code request_thread_control} works. The
 * brief's flow still holds: the bot answers, hands over with a separate pass that carries the agent's context, stays
 * silent while the Inbox has the thread, and is back after Done.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(DefaultBehaviourTest.NoDefaultApp.class)
class DefaultBehaviourTest {

    public static class NoDefaultApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("handover.routing-mode", "default-behaviour");
        }
    }

    static final String NOTICE = HandoffFlowTest.NOTICE;

    GraphStandIn graph = Platform.graph();

    @BeforeEach
    void noDefaultApp() {
        graph.mode(MessengerPlatform.Mode.DEFAULT_BEHAVIOUR);
    }

    @AfterEach
    void back() {
        graph.mode(MessengerPlatform.Mode.ROUTING);
        Messenger.resetClock();
    }

    @Test
    void three_theNoticeThenTheSeparatePassWithTheAgentsContext() {
        var user = newUser();
        deliver("messaging", text(user, "my order 4711 never arrived"));
        deliver("messaging", text(user, "I want to speak to a human"));
        var calls = graph.calls(user);
        assertThat(calls).extracting(c -> c.status() + " " + c.endpoint()).containsExactly("200 messages",
                "200 messages", "200 pass_thread_control");
        assertThat(calls.get(1).body().path("message").path("text").asText()).startsWith(NOTICE);
        assertThat(calls.get(1).body().has("thread_control")).isFalse();
        var metadata = calls.get(2).body().path("metadata").asText();
        assertThat(metadata).startsWith("reason=asked_in_words").contains("my order 4711 never arrived")
                .contains("I want to speak to a human").hasSizeLessThan(1000);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
    }

    @Test
    void seven_messagingDoesNotMeanControlCameBackTheBotStaysSilent() {
        var user = handedOver();
        int sent = graph.sentTexts(user).size();
        // Every app hears the user on messaging here: still the Inbox's thread (thread_owner says so).
        deliver("messaging", text(user, "hello? anyone?"));
        deliver("messaging", text(user, "what are your opening hours?"));
        assertThat(graph.sentTexts(user)).hasSize(sent);
        assertThat(graph.calls(user, "thread_owner")).hasSize(2).allMatch(GraphStandIn.Call::ok);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    @Test
    void seven_aReleaseSeenThroughThreadOwnerIsAnsweredAtOnce() {
        var user = handedOver();
        graph.setOwner(user, null); // Done released the thread: no webhook
        deliver("messaging", text(user, "one more thing: opening hours?"));
        assertThat(graph.sentTexts(user)).last().asString().startsWith("We're open Monday to Saturday");
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("released");
        assertThat(thread.getString("history[0].reason")).isEqualTo("thread_owner");
    }

    @Test
    void seven_aPassBackWelcomesTheUserBack() {
        var user = handedOver();
        graph.setOwner(user, APP_ID);
        deliver("messaging", passThreadControl(user, APP_ID, INBOX_APP_ID, null));
        assertThat(graph.sentTexts(user)).last().asString().startsWith(HandoffFlowTest.WELCOME_BACK);
    }

    @Test
    void seven_afterTheExpiryTheBotAnswers() {
        Messenger.advance(Duration.ofHours(-30));
        var user = handedOver();
        Messenger.advance(Duration.ofHours(25));
        int owners = graph.calls(user, "thread_owner").size();
        deliver("messaging", text(user, "hello again: returns?"));
        assertThat(graph.calls(user, "thread_owner")).as("expired: nothing to ask").hasSize(owners);
        assertThat(graph.sentTexts(user)).last().asString().startsWith("You can return any item");
        assertThat(Operator.thread(user).getString("history[0].kind")).isEqualTo("expired");
    }

    @Test
    void seven_theOperatorsTakeIsBlockedWithItsReasonNotAGenericFailure() {
        var user = handedOver();
        given().header("X-Api-Key", Platform.ADMIN_KEY).post("/threads/{p}/{u}/take", Platform.PAGE_ID, user)
                .then().statusCode(409).body("refused", containsString("no default app"))
                .body("owner.role", org.hamcrest.Matchers.equalTo("page_inbox"));
        assertThat(graph.calls(user, "take_thread_control")).as("Graph blocks it: not attempted").isEmpty();
    }

    @Test
    void seven_aRequestIsHonouredAsToday() {
        var user = newUser();
        deliver("messaging", text(user, "hello"));
        deliver("messaging", requestThreadControl(user, INBOX_APP_ID));
        assertThat(graph.calls(user, "pass_thread_control")).singleElement()
                .satisfies(c -> assertThat(c.body().path("target_app_id").asText()).isEqualTo(INBOX_APP_ID));
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    private String handedOver() {
        var user = newUser();
        deliver("messaging", text(user, "I'd like to talk to a person please"));
        assertThat(graph.calls(user, "pass_thread_control")).singleElement()
                .satisfies(c -> assertThat(c.ok()).isTrue());
        assertThat(Operator.thread(user).getString("owner.appId")).isEqualTo(INBOX_APP_ID);
        return user;
    }
}
