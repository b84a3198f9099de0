package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.entryOf;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.requestThreadControl;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Messenger.textTo;
import static dev.messengerhandover.testing.Platform.INSTAGRAM_ID;
import static dev.messengerhandover.testing.Platform.OTHER_APP_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.platform.MessengerPlatform;
import dev.messengerhandover.dev.platform.SnsTopic;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Real deliveries, in the shapes Meta documents, that once left a user without an answer or a person: an agent's
 * reply on Instagram (no {@code app_id}), an alert SNS did not take, the queue's answers, events without a sender,
 * the account writing to itself, two requests in one millisecond, and events that arrive hours late or with a time
 * outside reason.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class NobodyStrandedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTAGRAM_INBOX = MessengerPlatform.INSTAGRAM_INBOX_APP_ID;

    GraphStandIn graph = Platform.graph();

    @Inject
    Sweep sweep;

    /**
     * Instagram echoes say {@code is_echo} and nothing of the app: the bot knows its own by the ids Graph gave them,
     * and any other while the Inbox holds the thread is an agent answering. That ends the wait: no alert, no give-up.
     */
    @Test
    void onInstagramTheAgentsReplyEndsTheWaitAndTheBotsOwnEchoDoesNot() {
        Messenger.resetClock();
        var igsid = newUser();
        instagram(textTo(INSTAGRAM_ID, igsid, "hi"));
        instagram(textTo(INSTAGRAM_ID, igsid, "I want to talk to a person"));
        var handoff = graph.calls(igsid, "messages").getLast();
        assertThat(handoff.passes()).isTrue();
        assertThat(handoff.passedTo()).isEqualTo(INSTAGRAM_INBOX);

        // The echo of the bot's own notice, as Instagram sends it: still waiting for a person.
        instagram(instagramEcho(igsid, handoff.messageId(), handoff.body().path("message").path("text").asText()));
        var thread = Operator.thread(INSTAGRAM_ID, igsid);
        assertThat(thread.getString("followup.queue")).isEqualTo("waiting");
        assertThat(thread.getString("followup.waiting.since")).isNotNull();

        // The agent answers from the Instagram Inbox.
        instagram(instagramEcho(igsid, "m_agent_" + igsid, "Hi, Sam from the team here. How can I help?"));
        thread = Operator.thread(INSTAGRAM_ID, igsid);
        assertThat(thread.getString("followup.queue")).isEqualTo("with-agent");
        assertThat(thread.getString("history[0].kind")).isEqualTo("answered");
        assertThat(thread.getString("owner.appId")).isEqualTo(INSTAGRAM_INBOX);
        assertThat(thread.getList("transcript.who", String.class)).containsSubsequence("bot", "agent");

        // Ten minutes on, nobody is told that nobody answered.
        sweep.run(Messenger.at(Messenger.now() + Duration.ofMinutes(11).toMillis()));
        assertThat(alertsFor(igsid)).isEmpty();
        assertThat(Operator.thread(INSTAGRAM_ID, igsid).getString("owner.appId")).isEqualTo(INSTAGRAM_INBOX);
    }

    /** The same on Messenger for an echo that names no app: while the Inbox holds the thread, it is the Inbox's. */
    @Test
    void onMessengerAnEchoWithoutAnAppWhileTheInboxHoldsTheThreadIsTheInboxAnswering() {
        Messenger.resetClock();
        var user = newUser();
        deliver("messaging", text(user, "can I talk to someone please"));
        assertThat(Operator.thread(user).getString("followup.queue")).isEqualTo("waiting");
        var e = Messenger.event(Platform.PAGE_ID, user);
        e.putObject("message").put("is_echo", true).put("mid", "m_" + user).put("text", "Jo here, hello!");
        deliver("standby", e);
        var thread = Operator.thread(user);
        assertThat(thread.getString("followup.queue")).isEqualTo("with-agent");
        assertThat(thread.getString("history[0].kind")).isEqualTo("answered");
    }

    /**
     * A hand-over that lapsed unanswered owes the team an alert: SNS failing once must not lose it. It stays due until
     * SNS takes it, once.
     */
    @Test
    void theLapsedAlertSnsDidNotTakeIsSentByTheNextSweepOnce() {
        Messenger.resetClock();
        var user = newUser();
        deliver("messaging", text(user, "I want a human"));
        Messenger.advance(Duration.ofHours(24).plusMinutes(1));
        Platform.sns().down(true);
        try {
            sweep.run(Messenger.now());
        } finally {
            Platform.sns().down(false);
        }
        assertThat(alertsFor(user)).isEmpty();
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).as("control lapsed: the bot has the thread").isEqualTo("bot");
        assertThat(thread.getString("followup.dueAt")).as("the alert it still owes").isNotNull();

        sweep.run(Messenger.at(Messenger.now() + 60_000));
        assertThat(alertsFor(user)).singleElement()
                .satisfies(a -> assertThat(a.subject()).startsWith("Unanswered until control lapsed"));
        sweep.run(Messenger.at(Messenger.now() + 120_000));
        assertThat(alertsFor(user)).hasSize(1);
        assertThat(Operator.thread(user).getString("followup.dueAt")).isNull();
    }

    /**
     * A sweep's visit that cannot start its alert in the time the run has left (its late pages) claims and writes
     * nothing: the thread stays exactly as it was, due, and the next run, with its whole budget, sends the alert once.
     */
    @Test
    void aVisitWithoutTheTimeForItsAlertLeavesTheThreadAsItWasForTheNextRun() {
        Messenger.resetClock();
        var user = newUser();
        deliver("messaging", text(user, "I want a human"));
        var before = Operator.thread(user).prettify();
        long later = Messenger.now() + Duration.ofMinutes(11).toMillis();

        // Time for a page to start (6 s), not for an alert's call (5 s) and the last write (4.5 s).
        var late = sweep.run(Messenger.at(later), Deadline.in(Duration.ofSeconds(8)));
        assertThat(late.left()).isPositive();
        assertThat(alertsFor(user)).isEmpty();
        assertThat(Operator.thread(user).prettify()).as("neither claimed nor written").isEqualTo(before);

        sweep.run(Messenger.at(later + 60_000));
        assertThat(alertsFor(user)).singleElement()
                .satisfies(a -> assertThat(a.subject()).startsWith("Nobody answered"));
        assertThat(Operator.thread(user).getString("followup.queue")).isEqualTo("waiting");
    }

    /** Every documented query of the queue answers 200, whatever the threads in it went through. */
    @Test
    void everyQueueAnswersWhateverItsThreadsWentThrough() {
        Messenger.resetClock();
        // The Inbox took this one by itself: an agent answered while the bot held it (no hand-over, no wait).
        var took = newUser();
        deliver("messaging", text(took, "hi"));
        deliver("messaging", echo(took, INBOX_APP_ID, "Hi, Jo from the team here"));
        // This one the operator took back for the bot after a hand-over.
        var back = newUser();
        deliver("messaging", text(back, "agent please"));
        given().header("X-Api-Key", Platform.ADMIN_KEY).post("/threads/{page}/{user}/take", Platform.PAGE_ID, back)
                .then().statusCode(200);

        assertThat(queue("with-agent").getList("threads.userId", String.class)).contains(took);
        assertThat(queue("bot").getList("threads.userId", String.class)).contains(back);
        queue("waiting");
    }

    /**
     * Meta sends events with no {@code sender.id}: Page policy notices, plugin opt-ins by {@code user_ref}, Chat Plugin
     * guests. They are acknowledged and set aside; the rest of the delivery is handled.
     */
    @Test
    void eventsWithoutASenderNeverCostTheRestOfTheDelivery() {
        var user = newUser();
        var policy = node("{\"recipient\":{\"id\":\"" + Platform.PAGE_ID + "\"},\"timestamp\":" + Messenger.tick()
                + ",\"policy_enforcement\":{\"action\":\"warning\",\"reason\":\"Spam reports\"}}");
        var optin = node("{\"recipient\":{\"id\":\"" + Platform.PAGE_ID + "\"},\"timestamp\":" + Messenger.tick()
                + ",\"optin\":{\"type\":\"one_time_notif_req\",\"payload\":\"x\",\"user_ref\":\"ur_42\"}}");
        var guest = node("{\"sender\":{\"user_ref\":\"guest_42\"},\"recipient\":{\"id\":\"" + Platform.PAGE_ID
                + "\"},\"timestamp\":" + Messenger.tick() + ",\"message\":{\"mid\":\"m_guest_" + user
                + "\",\"text\":\"hello?\"}}");
        post(delivery("messaging", policy, optin, guest, text(user, "what are your opening hours?"))).then()
                .statusCode(200).body("events", equalTo(4)).body("applied", equalTo(1));
        assertThat(graph.sentTexts(user)).singleElement().asString().startsWith("We're open");
    }

    /** Instagram's self messaging: the account writing to itself is never answered, not even "Get Started". */
    @Test
    void theInstagramAccountWritingToItselfIsNeverAnswered() {
        var self = Messenger.event(INSTAGRAM_ID, INSTAGRAM_ID);
        self.putObject("message").put("mid", "m_self_" + Messenger.now()).put("text", "testing my bot")
                .put("is_self", true);
        var getStarted = Messenger.event(INSTAGRAM_ID, INSTAGRAM_ID);
        getStarted.putObject("postback").put("mid", "m_gs_" + Messenger.now()).put("title", "Get Started")
                .put("payload", "GET_STARTED");
        post(Messenger.delivery("instagram", List.of(entryOf(INSTAGRAM_ID, "messaging", self, getStarted))))
                .then().statusCode(200).body("applied", equalTo(0));
        assertThat(graph.calls(INSTAGRAM_ID)).isEmpty();
    }

    /** Two apps asking for one thread in the same millisecond are two requests: the Inbox's is granted. */
    @Test
    void twoRequestsInTheSameMillisecondAreBothHeard() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        long at = Messenger.tick();
        var other = requestThreadControl(user, OTHER_APP_ID);
        other.put("timestamp", at);
        var inbox = requestThreadControl(user, INBOX_APP_ID);
        inbox.put("timestamp", at);
        deliver("messaging", other, inbox);
        assertThat(graph.passes(user)).singleElement().satisfies(p -> assertThat(p.passedTo()).isEqualTo(INBOX_APP_ID));
        assertThat(Operator.thread(user).getList("history.kind", String.class)).contains("request_declined",
                "passed");
    }

    /**
     * An event redelivered hours after it happened is news now: the hand-over it asks for holds 24 h from its arrival,
     * so the sweep does not lapse it early (and in default behaviour the bot never answers over the agent).
     */
    @Test
    void aHandoverDeliveredHoursLateHoldsTwentyFourHoursFromItsArrival() {
        Messenger.resetClock();
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        var request = quickReply(user, "Talk to a person", "TALK_TO_PERSON");
        long written = request.path("timestamp").asLong();
        Messenger.advance(Duration.ofHours(6)); // Meta's redelivery after an outage on our side
        long arrived = Messenger.now();
        deliver("messaging", request);
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(Instant.parse(thread.getString("owner.expiresAt")).toEpochMilli())
                .isGreaterThanOrEqualTo(arrived + Duration.ofHours(24).toMillis());
        assertThat(Instant.parse(thread.getString("transcript.find { it.text == 'Talk to a person' }.at"))
                .toEpochMilli()).as("when the user wrote").isEqualTo(written);

        sweep.run(Messenger.at(written + Duration.ofHours(24).plusMinutes(1).toMillis()));
        assertThat(Operator.thread(user).getString("owner.role")).as("a day after it was written, not after it came")
                .isEqualTo("page_inbox");
    }

    /** Times Messenger could not have sent (before it existed, days ahead) are taken as the arrival time. */
    @Test
    void eventTimesOutsideReasonAreTakenAsTheArrivalTime() {
        var user = newUser();
        var past = text(user, "hello from 1970");
        past.put("timestamp", 0);
        var body = delivery("messaging", past);
        long arrived = Messenger.now();
        post(body).then().statusCode(200);
        var future = text(user, "hello from next week");
        future.put("timestamp", Messenger.now() + Duration.ofDays(7).toMillis());
        body = delivery("messaging", future);
        long arrivedToo = Messenger.now();
        post(body).then().statusCode(200);
        var thread = Operator.thread(user);
        assertThat(thread.getList("transcript.text", String.class)).contains("hello from 1970", "hello from next week");
        var users = thread.getList("transcript.findAll { it.who == 'user' }.at", String.class).stream()
                .map(t -> Instant.parse(t).toEpochMilli()).toList();
        assertThat(users).containsExactly(arrived, arrivedToo);
        assertThat(graph.sentTexts(user)).hasSize(2);
    }

    private static void instagram(ObjectNode... events) {
        post(Messenger.delivery("instagram", List.of(entryOf(INSTAGRAM_ID, "messaging", events)))).then()
                .statusCode(200);
    }

    /** An echo as Instagram delivers it: {@code is_echo}, the message id, no {@code app_id}. */
    private static ObjectNode instagramEcho(String igsid, String mid, String text) {
        var e = Messenger.event(INSTAGRAM_ID, igsid);
        e.putObject("message").put("is_echo", true).put("mid", mid).put("text", text);
        return e;
    }

    private static ObjectNode node(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<SnsTopic.Published> alertsFor(String user) {
        return Platform.sns().published().stream().filter(p -> p.message().contains("User: " + user + "\n"))
                .toList();
    }

    private static io.restassured.path.json.JsonPath queue(String state) {
        return given().header("X-Api-Key", Platform.ADMIN_KEY).queryParam("state", state).queryParam("limit", 100)
                .get("/threads/{page}", Platform.PAGE_ID).then().statusCode(200).extract().jsonPath();
    }
}
