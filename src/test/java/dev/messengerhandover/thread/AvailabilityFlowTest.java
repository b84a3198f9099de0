package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.dev.platform.SnsTopic;
import dev.messengerhandover.testing.AccountsProfile;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import dev.messengerhandover.testing.SnsStandIn;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Nobody left waiting, as a user and a team see it: through the webhook, the sweep (as the schedule runs it, at the
 * conversations' time), DynamoDB Local with its indexes, the Graph stand-in and the SNS stand-in. The team works in
 * Paris, {@value Platform#PARIS_HOURS}; alerted after 10 minutes of business time; the bot gives up after 30; it asks
 * about satisfaction after Done.
 */
@QuarkusTest
@TestProfile(AvailabilityFlowTest.Paris.class)
class AvailabilityFlowTest {

    public static class Paris extends AccountsProfile {
        public Paris() {
            super("hours", "paris");
        }
    }

    /** Friday 27 November 2026, 22:00 in Paris: closed until Saturday 10:00. */
    static final Instant FRIDAY_22 = Instant.parse("2026-11-27T21:00:00Z");
    /** Wednesday 25 November 2026, 10:00 in Paris: open. */
    static final Instant WEDNESDAY_10 = Instant.parse("2026-11-25T09:00:00Z");

    GraphStandIn graph = Platform.graph();
    SnsStandIn sns = Platform.sns();

    @Inject
    Sweep sweep;

    @AfterEach
    void realTime() {
        sns.down(false);
        Messenger.resetClock();
    }

    @Test
    void askedForAtNightThePersonIsPromisedForTheMorningAndTheTeamIsAlertedTenOpenMinutesLater() {
        at(FRIDAY_22);
        var user = newUser();
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        assertThat(graph.sentTexts(user)).containsExactly("We're closed now. A person will reply from tomorrow 10:00. "
                + "You can leave your message here.");
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
        var thread = Operator.thread(user);
        assertThat(thread.getString("followup.queue")).isEqualTo("waiting");
        assertThat(thread.getString("followup.dueAt")).isEqualTo("2026-11-28T09:10:00Z");

        sweep.run(Messenger.at(Instant.parse("2026-11-28T09:09:00Z").toEpochMilli()));
        assertThat(alertsFor(user)).as("9 open minutes").isEmpty();
        sweep.run(Messenger.at(Instant.parse("2026-11-28T09:10:30Z").toEpochMilli()));
        assertThat(alertsFor(user)).singleElement().satisfies(a -> {
            assertThat(a.subject()).startsWith("Nobody answered for 12 h 10 min: Page");
            assertThat(a.message()).contains("User: " + user, "reason user_asked",
                    "Last message: \"Talk to a person\"");
        });
        sweep.run(Messenger.at(Instant.parse("2026-11-28T09:20:00Z").toEpochMilli()));
        assertThat(alertsFor(user)).as("once per hand-over").hasSize(1);
        assertThat(Operator.thread(user).getString("history[0].kind")).isEqualTo("alerted");
    }

    @Test
    void anAgentsFirstAnswerEndsTheWaitAndTheQueueShowsWhoWaitsOldestFirst() {
        // Now (open or closed: either way the user waits in the Inbox): the queue leaves out holds that lapsed.
        var first = newUser();
        var second = newUser();
        deliver("messaging", text(first, "I want to talk to a person about my order"));
        deliver("messaging", text(second, "agent please"));
        var waiting = queue("waiting", 100, null);
        assertThat(waiting.getList("threads.userId", String.class)).containsSubsequence(first, second);

        var firstPage = queue("waiting", 1, null);
        assertThat(firstPage.getList("threads")).hasSize(1);
        var rest = queue("waiting", 100, firstPage.getString("next"));
        assertThat(rest.getList("threads.userId", String.class)).doesNotContain(firstPage.getString("threads[0].userId"));

        Messenger.advance(Duration.ofMinutes(4));
        deliver("messaging", echo(first, INBOX_APP_ID, "Hi, Sam here. Let me look at your order."));
        var thread = Operator.thread(first);
        assertThat(thread.getString("followup.queue")).isEqualTo("with-agent");
        assertThat(thread.getString("history[0].kind")).isEqualTo("answered");
        assertThat(thread.getLong("history[0].heldMillis")).isBetween(240_000L, 250_000L);
        var withAgent = queue("with-agent", 100, null);
        assertThat(withAgent.getList("threads.userId", String.class)).contains(first);
        assertThat(queue("waiting", 100, null).getList("threads.userId", String.class)).doesNotContain(first)
                .contains(second);
    }

    @Test
    void nobodyAnsweringForThirtyOpenMinutesTheBotTakesTheThreadBackAndSaysSo() {
        at(WEDNESDAY_10);
        var user = newUser();
        deliver("messaging", text(user, "can I talk to a real person"));
        long handedOver = Messenger.now();
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(10).toMillis()));
        assertThat(alertsFor(user)).hasSize(1);
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(29).toMillis()));
        assertThat(graph.calls(user, "take_thread_control")).isEmpty();
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(30).toMillis()));
        assertThat(graph.calls(user, "take_thread_control")).singleElement().satisfies(c -> assertThat(c.ok()).isTrue());
        assertThat(graph.ownerOf(user)).isEqualTo(APP_ID);
        assertThat(graph.sentTexts(user)).last().asString().startsWith("Sorry, nobody from our team could answer");
        var thread = Operator.thread(user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getString("history[0].reason")).isEqualTo("nobody_answered");
        assertThat(alertsFor(user)).as("alerted at 10 minutes, not again for the give-up").hasSize(1);
        assertThat(Operator.thread(user).getString("followup.queue")).isEqualTo("bot");
    }

    @Test
    void anAlertSnsDidNotTakeIsSentByTheNextSweep() {
        at(WEDNESDAY_10);
        var user = newUser();
        deliver("messaging", text(user, "I want a human"));
        sns.down(true);
        long due = Messenger.now() + Duration.ofMinutes(10).toMillis();
        sweep.run(Messenger.at(due));
        assertThat(alertsFor(user)).isEmpty();
        assertThat(Operator.thread(user).getBoolean("followup.waiting.alerted")).isFalse();
        sns.down(false);
        sweep.run(Messenger.at(due + 60_000));
        assertThat(alertsFor(user)).hasSize(1);
    }

    @Test
    void afterDoneTheUserIsAskedWhetherTheProblemIsSolvedAndTheAnswerIsRecorded() {
        at(WEDNESDAY_10);
        var user = newUser();
        deliver("messaging", text(user, "agent please"));
        deliver("messaging", echo(user, INBOX_APP_ID, "Done, your refund is on its way."));
        graph.setOwner(user, APP_ID);
        deliver("messaging", passThreadControl(user, APP_ID, INBOX_APP_ID, "done"));
        var question = graph.calls(user, "messages").getLast();
        assertThat(question.body().path("message").path("text").asText()).isEqualTo("Did we solve your problem?");
        assertThat(question.body().path("message").path("quick_replies").findValuesAsText("payload"))
                .containsExactly("SATISFACTION_YES", "SATISFACTION_NO");

        deliver("messaging", quickReply(user, "Yes", "SATISFACTION_YES"));
        assertThat(graph.sentTexts(user)).last().isEqualTo("Thanks for telling us!");
        var thread = Operator.thread(user);
        assertThat(thread.getString("history[0].kind")).isEqualTo("survey_answered");
        assertThat(thread.getString("history[0].reason")).isEqualTo("satisfied");
    }

    @Test
    void aHandoffThatLapsedUnansweredIsApologisedForInTheBotsNextAnswer() {
        at(WEDNESDAY_10);
        var user = newUser();
        deliver("messaging", text(user, "agent please"));
        Messenger.advance(Duration.ofHours(24).plusMinutes(1));
        sweep.run(Messenger.now());
        assertThat(Operator.thread(user).getString("history[0].reason")).isEqualTo("unanswered");
        deliver("messaging", text(user, "hello? what are your opening hours?"));
        var said = graph.sentTexts(user);
        assertThat(said.subList(said.size() - 2, said.size())).satisfiesExactly(
                sorry -> assertThat(sorry).isEqualTo("Sorry nobody got back to you."),
                answer -> assertThat(answer).startsWith("We're open Monday to Saturday"));
    }

    @Test
    void theQueueApiRefusesWhatItCannotServe() {
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{page}?state=lost", Platform.PAGE_ID).then()
                .statusCode(400).body("error", equalTo("state must be waiting, with-agent or bot"));
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{page}?state=bot&limit=500", Platform.PAGE_ID)
                .then().statusCode(400);
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{page}?state=bot&next=bm90LWEtdG9rZW4",
                Platform.PAGE_ID).then().statusCode(400).body("error", equalTo("next is not a page of this queue"));
        given().header("X-Api-Key", "wrong").get("/threads/{page}?state=bot", Platform.PAGE_ID).then()
                .statusCode(401);
    }

    @Test
    void theSweepAnswersItsScheduleWithWhatItDid() {
        given().post("/internal/sweep").then().statusCode(200).body("visited", org.hamcrest.Matchers.notNullValue());
    }

    private static void at(Instant t) {
        Messenger.advance(Duration.ofMillis(t.toEpochMilli() - Messenger.now()));
    }

    private List<SnsTopic.Published> alertsFor(String user) {
        return sns.published().stream().filter(p -> p.message().contains("User: " + user + "\n")).toList();
    }

    private static io.restassured.path.json.JsonPath queue(String state, int limit, String next) {
        var request = given().header("X-Api-Key", Platform.ADMIN_KEY).queryParam("state", state)
                .queryParam("limit", limit);
        if (next != null) {
            request = request.queryParam("next", next);
        }
        return request.get("/threads/{page}", Platform.PAGE_ID).then().statusCode(200).extract().jsonPath();
    }
}
