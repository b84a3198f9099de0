package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.postback;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.read;
import static dev.messengerhandover.testing.Messenger.receipt;
import static dev.messengerhandover.testing.Messenger.requestThreadControl;
import static dev.messengerhandover.testing.Messenger.takeThreadControl;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static dev.messengerhandover.testing.Platform.OTHER_APP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.GraphStandIn.Call;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The seed's flow, one numbered requirement per test, each written as the conversation a user and an agent have:
 * through the real webhook (signed deliveries, Lambda mock event server), DynamoDB Local and the Graph stand-in.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
public class HandoffFlowTest {

    static final String NOTICE = "Sure, I'm handing you over to a person from our team.";
    static final String WELCOME_BACK = "Thanks for your patience! I'm back to help.";

    GraphStandIn graph = Platform.graph();

    @Test
    void one_theBotAnswersByDefaultAndAlwaysOffersAPerson() {
        var user = newUser();
        deliver("messaging", text(user, "Hi there"));
        deliver("messaging", text(user, "what are your opening hours?"));
        deliver("messaging", postback(user, "Returns", "FAQ_RETURNS"));
        deliver("messaging", text(user, "do you sell blue llamas"));

        var sends = graph.calls(user, "messages");
        assertThat(sends).hasSize(4);
        assertThat(graph.sentTexts(user)).satisfiesExactly(
                t -> assertThat(t).startsWith("Hi! I'm the Page's assistant."),
                t -> assertThat(t).startsWith("We're open Monday to Saturday"),
                t -> assertThat(t).startsWith("You can return any item within 30 days"),
                t -> assertThat(t).startsWith("Sorry, I didn't get that.").contains("Talk to a person"));
        for (Call send : sends) {
            assertThat(send.authorization()).isEqualTo("Bearer " + Platform.PAGE_TOKEN);
            assertThat(send.body().path("messaging_type").asText()).isEqualTo("RESPONSE");
            assertThat(send.body().path("recipient").path("id").asText()).isEqualTo(user);
            var reply = send.body().path("message").path("quick_replies").get(0);
            assertThat(reply.path("content_type").asText()).isEqualTo("text");
            assertThat(reply.path("title").asText()).isEqualTo("Talk to a person");
            assertThat(reply.path("payload").asText()).isEqualTo("TALK_TO_PERSON");
        }
        assertThat(graph.passes(user)).isEmpty();
        assertThat(Operator.role(user)).isEqualTo("bot");
    }

    @Test
    void two_aPersonIsNeededWhenTheUserTapsTheQuickReply() {
        var user = newUser();
        deliver("messaging", text(user, "my parcel arrived broken"));
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        assertHandedOver(user, "user_asked");
    }

    @Test
    void two_aPersonIsNeededWhenTheUserAsksInWords() {
        for (var words : List.of("can I talk to a real person", "agent please", "I want a human",
                "speak to someone from support", "CAN I TALK TO A REAL PERSOn??", "i need a humna")) {
            var user = newUser();
            deliver("messaging", text(user, words));
            assertHandedOver(user, "asked_in_words");
        }
    }

    @Test
    void two_wordsThatMentionPeopleWithoutAskingDoNotHandOver() {
        var user = newUser();
        deliver("messaging", text(user, "are you a bot or a human?"));
        deliver("messaging", text(user, "no, I don't want to talk to a person"));
        assertThat(graph.passes(user)).isEmpty();
        assertThat(graph.calls(user, "messages")).hasSize(2);
    }

    @Test
    void two_aPersonIsNeededWhenBuiltInNlpSaysSo() {
        var sure = newUser();
        deliver("messaging", withIntent(text(sure, "mmh, complicated"), "human_agent", 0.93));
        assertHandedOver(sure, "nlp");

        var unsure = newUser();
        deliver("messaging", withIntent(text(unsure, "mmh, complicated"), "human_agent", 0.41));
        assertThat(graph.passes(unsure)).isEmpty();
    }

    @Test
    void two_afterTwoMisunderstandingsTheBotOffersAPersonInWords() {
        var user = newUser();
        deliver("messaging", text(user, "zorglub"));
        deliver("messaging", text(user, "blorp blorp"));
        assertThat(graph.sentTexts(user)).satisfiesExactly(
                t -> assertThat(t).startsWith("Sorry, I didn't get that."),
                t -> assertThat(t).startsWith("I'm still not sure I can help").contains("talk to a person"));
        assertThat(graph.passes(user)).isEmpty();
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        assertHandedOver(user, "user_asked");
    }

    @Test
    void three_theNoticeCarriesThePassOneRoundTrip() {
        var user = newUser();
        deliver("messaging", text(user, "my order 4711 never arrived"));
        deliver("messaging", text(user, "I want to speak to a human"));
        var handoff = graph.passes(user);
        assertThat(handoff).singleElement().satisfies(c -> {
            assertThat(c.endpoint()).isEqualTo("messages");
            assertThat(c.body().path("message").path("text").asText()).startsWith(NOTICE);
            // The notice offers no "Talk to a person": the person is coming.
            assertThat(c.body().path("message").has("quick_replies")).isFalse();
            assertThat(c.body().path("thread_control").path("control_type").asText()).isEqualTo("pass");
            assertThat(c.passedTo()).isEqualTo(INBOX_APP_ID);
        });
        assertThat(graph.calls(user).subList(1, graph.calls(user).size())).as("after the first answer")
                .containsExactlyElementsOf(handoff);
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.appId")).isEqualTo(INBOX_APP_ID);
        assertThat(thread.getString("owner.expiresAt")).isNotNull();
        assertThat(thread.getString("reason")).isEqualTo("asked_in_words");
        assertThat(thread.getString("since")).isNotNull();
        assertThat(thread.getString("history[0].kind")).isEqualTo("passed");
    }

    @Test
    void three_whereGraphRefusesThreadControlTheNoticeAndThePassWithContextGoSeparately() {
        var user = newUser();
        deliver("messaging", text(user, "my order 4711 never arrived"));
        graph.failNext("messages", 400, 100, false);
        deliver("messaging", text(user, "I want to speak to a human"));
        var calls = graph.calls(user);
        assertThat(calls).extracting(c -> c.status() + " " + c.endpoint()).containsExactly("200 messages",
                "400 messages", "200 thread_owner", "200 messages", "200 pass_thread_control");
        var notice = calls.get(3);
        assertThat(notice.body().path("message").path("text").asText()).startsWith(NOTICE);
        assertThat(notice.body().has("thread_control")).isFalse();
        var metadata = calls.get(4).body().path("metadata").asText();
        assertThat(metadata).contains("reason=asked_in_words").contains("my order 4711 never arrived")
                .contains("I want to speak to a human").hasSizeLessThan(1000);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    @Test
    void three_messagesOfAnyLengthStillHandTheUserOver() {
        var user = newUser();
        for (int length : new int[] { 127, 200, 223, 219, 266 }) {
            deliver("messaging", text(user, words(length)));
        }
        var asks = withIntent(text(user, words(135)), "human_agent", 0.98);
        graph.failNext("messages", 400, 100, false); // so that the agent's context travels as the pass's metadata
        Messenger.post(Messenger.delivery("messaging", asks)).then().statusCode(200);
        var metadata = graph.calls(user, "pass_thread_control").get(0).body().path("metadata").asText();
        assertThat(metadata).startsWith("reason=nlp").hasSizeLessThan(1000).contains(words(135));
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    /** Text of exactly {@code length} characters that no FAQ, greeting or "a person, please" rule matches. */
    private static String words(int length) {
        return "zorglub ".repeat(length / 8 + 1).substring(0, length);
    }

    @Test
    void three_theStoredOwnerChangesOnlyWhenGraphConfirms() {
        var user = newUser();
        graph.fail(new GraphStandIn.Fault("messages", 400, GraphStandIn.error(10, 2018300,
                "(#10) Another app is controlling this thread", false), 0, false, false));
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("pass_failed");
        assertThat(graph.sentTexts(user)).last().asString().startsWith("Sorry, no one can take over right now.");
        assertThat(graph.ownerOf(user)).isEqualTo(APP_ID);
    }

    @Test
    void four_whileTheInboxOwnsTheThreadTheBotOnlyListens() {
        var user = handedOver();
        int before = graph.calls(user).size();
        deliver("standby", text(user, "hello? anyone?"));
        deliver("standby", echo(user, INBOX_APP_ID, "Hi, I'm Dana from support. Let me check your order."));
        deliver("standby", text(user, "thanks Dana"));
        deliver("standby", postback(user, "Returns", null));
        assertThat(graph.calls(user)).hasSize(before);
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getList("transcript.text", String.class)).contains("hello? anyone?",
                "Hi, I'm Dana from support. Let me check your order.", "thanks Dana");
        assertThat(thread.getList("transcript.who", String.class)).contains("agent");
    }

    @Test
    void five_whenTheAgentClicksDoneTheBotIsBack() {
        var user = handedOver();
        deliver("standby", text(user, "thank you, solved"));
        graph.setOwner(user, APP_ID); // what the Page Inbox does on Done
        deliver("messaging", passThreadControl(user, APP_ID, INBOX_APP_ID, "done"));
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("returned");
        assertThat(thread.getString("history[0].from")).isEqualTo(INBOX_APP_ID);
        assertThat(thread.getLong("history[0].heldMillis")).isPositive();
        assertThat(graph.sentTexts(user)).last().asString().startsWith(WELCOME_BACK);

        deliver("messaging", text(user, "one more thing: opening hours?"));
        assertThat(graph.sentTexts(user)).last().asString().startsWith("We're open Monday to Saturday");
    }

    @Test
    void six_anInboxRequestIsGrantedByPassing() {
        var user = newUser();
        deliver("messaging", text(user, "hello"));
        deliver("messaging", requestThreadControl(user, INBOX_APP_ID));
        var pass = graph.calls(user, "pass_thread_control");
        assertThat(pass).singleElement().satisfies(c -> assertThat(c.body().path("target_app_id").asText())
                .isEqualTo(INBOX_APP_ID));
        assertThat(Operator.thread(user).getString("reason")).isEqualTo("requested");
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
    }

    @Test
    void six_otherAppsRequestsAreDeclinedByDefaultPolicy() {
        var user = newUser();
        deliver("messaging", requestThreadControl(user, OTHER_APP_ID));
        assertThat(graph.passes(user)).isEmpty();
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].kind")).isEqualTo("request_declined");
    }

    @Test
    void six_takeThreadControlIsFollowed() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        graph.setOwner(user, OTHER_APP_ID);
        deliver("messaging", takeThreadControl(user, APP_ID, OTHER_APP_ID));
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.appId")).isEqualTo(OTHER_APP_ID);
        assertThat(thread.getString("owner.role")).isEqualTo("other");
        assertThat(thread.getString("history[0].kind")).isEqualTo("followed");
    }

    @Test
    void six_aMessagingEventMeansControlCameBack() {
        var user = handedOver();
        graph.setOwner(user, null); // the thread went idle after 24 h
        deliver("messaging", text(user, "hello again, what about returns?"));
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("reason")).isEqualTo("messaging_channel");
        assertThat(thread.getString("history[0].kind")).isEqualTo("released");
        assertThat(graph.sentTexts(user)).last().asString().startsWith("You can return any item");
        assertThat(graph.sentTexts(user)).noneMatch(t -> t.startsWith(WELCOME_BACK));
    }

    @Test
    void six_aStandbyEventWhileWeThinkTheBotOwnsIsCheckedWithGraph() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        graph.setOwner(user, INBOX_APP_ID); // moved without us hearing about it
        deliver("standby", text(user, "are you still there?"));
        assertThat(graph.calls(user, "thread_owner")).hasSize(1);
        assertThat(graph.calls(user, "messages")).hasSize(1);
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getString("history[0].kind")).isEqualTo("resync");
    }

    @Test
    void six_anAgentReplyWhileTheBotOwnsMeansTheInboxTookItNoPassOfOurs() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        graph.setOwner(user, INBOX_APP_ID); // the Inbox takes control by answering
        deliver("messaging", echo(user, INBOX_APP_ID, "Hi, Sam here, I saw your message."));
        deliver("standby", text(user, "thanks Sam"));
        assertThat(graph.passes(user)).isEmpty();
        assertThat(graph.calls(user, "messages")).hasSize(1);
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getString("reason")).isEqualTo("agent_replied");
    }

    @Test
    void six_ownEchoesReadsAndDeliveriesNeverTriggerAnAnswer() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        int before = graph.calls(user).size();
        deliver("messaging", echo(user, APP_ID, "Hi! I'm the Page's assistant."), read(user), receipt(user));
        assertThat(graph.calls(user)).hasSize(before);
    }

    private String handedOver() {
        var user = newUser();
        deliver("messaging", text(user, "I'd like to talk to a person please"));
        assertHandedOver(user, "asked_in_words");
        return user;
    }

    /** Told first, then passed, in one Send API call with {@code thread_control}: the Inbox owns the thread. */
    private void assertHandedOver(String user, String reason) {
        assertThat(graph.sentTexts(user)).last().asString().startsWith(NOTICE);
        assertThat(graph.passes(user)).singleElement().satisfies(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.endpoint()).isEqualTo("messages");
            assertThat(c.passedTo()).isEqualTo(INBOX_APP_ID);
        });
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getString("reason")).isEqualTo(reason);
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
    }

    private static ObjectNode withIntent(ObjectNode event, String name, double confidence) {
        var nlp = ((ObjectNode) event.get("message")).putObject("nlp");
        nlp.putArray("intents").addObject().put("name", name).put("confidence", confidence);
        nlp.putObject("entities");
        return event;
    }
}
