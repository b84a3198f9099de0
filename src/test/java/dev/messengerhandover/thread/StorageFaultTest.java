package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.entry;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.testing.FaultyProxy;
import dev.messengerhandover.testing.FaultyProxy.Fault;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.GraphStandIn.Call;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * DynamoDB throttling, failing or unreachable at each point of a step: the read ({@code GetItem}), the claim before the
 * Graph calls ({@code UpdateItem}) and the result Graph confirmed ({@code PutItem}). A step is "talk to a person": one
 * message and one pass to the Page Inbox. Whatever fails, the delivery answers 200 or a short 500, and once storage is
 * back Messenger's redelivery leaves exactly the Graph calls and the state of a step that never failed.
 *
 * <p>The SDK (legacy retry mode, DynamoDB's defaults) makes up to 9 attempts; throttling backs off from 500 ms, other
 * failures from 25 ms, and {@code quarkus.dynamodb.api-call-timeout} ends the retries after 4 s.
 *
 * <p>Limit: when the result write fails after Graph confirmed, only the instance that made the Graph calls holds their
 * result. Its redelivery lands there here (one function instance, as a warm Lambda often is); a redelivery that lands
 * on another instance waits for the claim to expire (20 s) and then runs the event again, passing and sending twice.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class StorageFaultTest {

    private static final List<String> POINTS = List.of("GetItem", "UpdateItem", "PutItem");
    private static final String STORAGE_ERROR = "{\"error\":\"storage unavailable, retry later\"}";

    private static List<String> cleanStep;
    private static long faultsBefore;
    private static int deliveries;
    private static int lost;
    private static int duplicated;

    GraphStandIn graph = Platform.graph();
    FaultyProxy storage = Platform.storage();

    @BeforeEach
    void stepWithoutFaults() {
        if (cleanStep != null) {
            return;
        }
        var user = newUser();
        Messenger.post(handOff(user)).then().statusCode(200);
        cleanStep = summary(Platform.graph().calls(user));
        assertThat(cleanStep).as("the notice and the pass, in one call").containsExactly("messages");
        faultsBefore = Platform.storage().injected();
    }

    @AfterEach
    void storageBack() {
        storage.heal();
        storage.up();
    }

    @AfterAll
    static void report() {
        System.out.printf("[reliability] storage faults: deliveries=%d, faults injected=%d, lost=%d, duplicated=%d%n",
                deliveries, Platform.storage().injected() - faultsBefore, lost, duplicated);
    }

    @Test
    void briefFaultsAtEachPointAreRetriedByTheSdk() {
        for (var point : POINTS) {
            for (var fault : Fault.values()) {
                var user = newUser();
                storage.fail(point, 0, 2, fault);
                var answer = post(handOff(user));
                assertThat(answer.statusCode()).as("%s twice on %s", fault, point).isEqualTo(200);
                storage.heal();
                assertDoneOnce(user);
            }
        }
    }

    @Test
    void lastingFaultsAnswer500AndRedeliveryCompletesTheStepOnce() {
        // Each lasting throttle costs the 4 s of retries: every point throttled and unreachable, the other kinds of
        // answer at the hardest point only (the brief-fault test has them all).
        var cases = new ArrayList<Map.Entry<String, Fault>>();
        POINTS.forEach(point -> cases.add(Map.entry(point, Fault.THROUGHPUT_EXCEEDED)));
        POINTS.forEach(point -> cases.add(Map.entry(point, Fault.RESET_BEFORE)));
        cases.add(Map.entry("PutItem", Fault.THROTTLING));
        cases.add(Map.entry("PutItem", Fault.INTERNAL_SERVER_ERROR));
        for (var c : cases) {
            var point = c.getKey();
            var fault = c.getValue();
            var user = newUser();
            var body = handOff(user);
            storage.fail(point, 0, 1000, fault);
            long start = System.nanoTime();
            assertStorageError(post(body));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(20_000);
            storage.heal();
            if (!point.equals("PutItem")) {
                assertThat(graph.calls(user)).as("graph calls after %s on %s", fault, point).isEmpty();
            } else {
                // Graph already passed and sent; the redelivery must only write that down.
                assertThat(summary(graph.calls(user))).isEqualTo(cleanStep);
            }
            redeliver(body);
            assertDoneOnce(user);
        }
    }

    @Test
    void storageGoesDownWhileGraphIsPassing() throws Exception {
        var user = newUser();
        var body = handOff(user);
        graph.hangNext("messages", 1500);
        var answer = CompletableFuture.supplyAsync(() -> post(body));
        // The claim is written, the pass is under way at Graph: DynamoDB becomes unreachable now.
        Thread.sleep(500);
        storage.down();
        assertStorageError(answer.get(30, TimeUnit.SECONDS));
        assertThat(summary(graph.calls(user))).isEqualTo(cleanStep);
        storage.up();
        redeliver(body);
        assertDoneOnce(user);
    }

    @Test
    void aBatchWithResultWritesFailingIsCompletedOnceByItsRedelivery() {
        var users = List.of(newUser(), newUser(), newUser());
        var body = delivery(List.of(entry("messaging",
                users.stream().map(StorageFaultTest::talkToPerson).toArray(ObjectNode[]::new))));
        // The first thread's result is written; every later one fails.
        storage.fail("PutItem", 1, 1000, Fault.THROUGHPUT_EXCEEDED);
        assertStorageError(post(body));
        storage.heal();
        redeliver(body);
        users.forEach(this::assertDoneOnce);
    }

    private static String handOff(String user) {
        return delivery("messaging", talkToPerson(user));
    }

    private static ObjectNode talkToPerson(String user) {
        return quickReply(user, "Talk to a person", "TALK_TO_PERSON");
    }

    private static Response post(String body) {
        deliveries++;
        return Messenger.post(body);
    }

    /** Messenger redelivers until it gets a 200, and may deliver once more after that. */
    private static void redeliver(String body) {
        assertThat(post(body).statusCode()).isEqualTo(200);
        assertThat(post(body).statusCode()).isEqualTo(200);
    }

    private static void assertStorageError(Response answer) {
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.asString()).isEqualTo(STORAGE_ERROR);
    }

    /** The step's Graph calls, exactly once, and the state Graph confirmed. */
    private void assertDoneOnce(String user) {
        var done = summary(graph.calls(user));
        var role = Operator.role(user);
        if (!done.containsAll(cleanStep) || !"page_inbox".equals(role)) {
            lost++;
        }
        if (done.size() > cleanStep.size()) {
            duplicated++;
        }
        assertThat(done).as("graph calls for %s", user).containsExactlyInAnyOrderElementsOf(cleanStep);
        assertThat(role).isEqualTo("page_inbox");
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
        assertThat(Operator.thread(user).getList("history.kind", String.class)).hasSize(1);
    }

    /** The calls Graph accepted, by endpoint. */
    private static List<String> summary(List<Call> calls) {
        return calls.stream().filter(Call::ok).map(Call::endpoint).toList();
    }
}
