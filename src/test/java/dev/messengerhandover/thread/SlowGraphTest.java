package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.http.ErrorMappers;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.GraphStandIn.Call;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Graph slow, hanging and failing, against the delivery's deadline: the webhook answers inside its budget whatever
 * Graph does, no call starts in time the budget does not have, what Graph confirmed is kept, and Messenger's
 * redelivery (or the next sweep) finishes the rest exactly once. A budget of 10 s here (the least there is: the last
 * write keeps 4.5 s of it, and an alert needs 5 s of the rest) keeps the suite short; the default 15 s behaves the
 * same with more room.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(SlowGraphTest.ShortBudget.class)
class SlowGraphTest {

    static final long BUDGET = 10_000;
    /** Lambda's own overhead around the work: the answer's serialisation, the mock event server's round trip. */
    static final long SLACK = 1_500;

    public static class ShortBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("handover.delivery-budget", "PT10S", "handover.agent-wait.give-up-after", "PT30M");
        }
    }

    GraphStandIn graph = Platform.graph();

    @Inject
    Sweep sweep;

    @AfterEach
    void graphWellAgain() {
        graph.latency(0);
        graph.clearFaults();
    }

    /**
     * Graph answering after 6 s, with 5.5 s left for calls: the client gives up on the first attempt at its 4 s read
     * time-out, and the second is cut off at the deadline; the delivery answers 503 in time, with no other call (no
     * follow-up plan on a spent budget). The redelivery finds the pass went through after all: the user is with a
     * person, told once.
     */
    @Test
    void aHandoverAgainstASlowGraphAnswersInTimeAndItsRedeliveryFinishesItOnce() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        var body = delivery("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        graph.latency(6_000);
        long took = timed(() -> post(body).then().statusCode(503)
                .body("error", equalTo(ErrorMappers.UNFINISHED)));
        assertThat(took).as("the first delivery's answer, with a %d ms budget", BUDGET).isLessThan(BUDGET + SLACK);
        awaitCalls(user, 3); // the greeting, and the two attempts Graph acted on after we stopped waiting
        assertThat(graph.calls(user)).as("calls for the first delivery").hasSize(3).allSatisfy(c -> {
            assertThat(c.endpoint()).isEqualTo("messages");
        });

        graph.latency(0);
        post(body).then().statusCode(200);
        post(body).then().statusCode(200); // and a late copy changes nothing
        assertThat(graph.passes(user).stream().filter(Call::ok)).as("passes Graph accepted").hasSize(1);
        assertThat(graph.sentTexts(user)).filteredOn(t -> t.contains("handing you over")).hasSize(1);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
        assertThat(Operator.thread(user).getList("history.kind", String.class)).containsOnlyOnce("passed");
    }

    /**
     * One call hanging: the client's read time-out ends it and the retry, in the time left, hands the user over; the
     * hung call, which Graph acts on later, never makes a second hand-over.
     */
    @Test
    void aCallThatHangsIsTriedAgainInTheTimeLeft() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        graph.hangNext("messages", 9_000);
        long took = timed(() -> post(delivery("messaging", text(user, "I want to talk to a human please"))).then()
                .statusCode(200));
        assertThat(took).isLessThan(BUDGET + SLACK);
        awaitCalls(user, 3);
        assertThat(graph.passes(user).stream().filter(Call::ok)).as("passes Graph accepted").hasSize(1);
        assertThat(graph.sentTexts(user)).filteredOn(t -> t.contains("handing you over")).hasSize(1);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    /** Graph hanging on every call: the work is left for the redelivery, not for nobody. */
    @Test
    void aHangingGraphLeavesTheHandoverForTheRedeliveryNotForNobody() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        var body = delivery("messaging", text(user, "I want to talk to a human please"));
        graph.latency(9_000);
        long took = timed(() -> post(body).then().statusCode(503));
        assertThat(took).isLessThan(BUDGET + SLACK);
        graph.latency(0);
        post(body).then().statusCode(200);
        awaitCalls(user, 4); // greeting, two hung attempts (answered late), the redelivery's hand-over
        assertThat(graph.passes(user).stream().filter(Call::ok)).as("passes Graph accepted").hasSize(1);
        assertThat(graph.sentTexts(user)).filteredOn(t -> t.contains("handing you over")).hasSize(1);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
        assertThat(graph.ownerOf(user)).isEqualTo(GraphStandIn.INBOX_APP_ID);
    }

    /**
     * Graph failing every message: within the budget, or by the redelivery, the user still reaches a person (the pass
     * is a call of its own when the notice cannot be sent), and the webhook never takes longer than its budget.
     */
    @Test
    void aFailingGraphStillHandsTheUserToAPerson() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        for (int i = 0; i < 12; i++) {
            graph.failNext("messages", 500, 2, true);
        }
        var body = delivery("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        for (int delivery = 0; delivery < 3 && !"page_inbox".equals(Operator.role(user)); delivery++) {
            var answer = post(body);
            assertThat(answer.statusCode()).isIn(200, 503);
        }
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
        assertThat(graph.passes(user).stream().filter(Call::ok)).hasSize(1);
    }

    /**
     * The sweep's give-up against a slow Graph: the take is cut off at the deadline and left; the next sweep finishes
     * it, and the user is told once that nobody could answer.
     */
    @Test
    void theSweepsGiveUpAgainstASlowGraphIsFinishedByTheNextSweepOnce() {
        Messenger.resetClock();
        var user = newUser();
        deliver("messaging", text(user, "can I speak to a person"));
        long handedOver = Messenger.now();
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(10).toMillis())); // the alert, at Graph's normal pace
        graph.latency(6_000);
        var first = sweep.run(Messenger.at(handedOver + Duration.ofMinutes(31).toMillis()));
        assertThat(first.left()).as("threads the first sweep left").isPositive();
        graph.latency(0);
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(32).toMillis()));
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(33).toMillis()));
        assertThat(graph.sentTexts(user)).filteredOn(t -> t.startsWith("Sorry, nobody from our team could answer"))
                .hasSize(1);
        assertThat(graph.ownerOf(user)).isEqualTo(Platform.APP_ID);
        assertThat(Operator.role(user)).isEqualTo("bot");
    }

    private void awaitCalls(String user, int n) {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (graph.calls(user).size() < n && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
