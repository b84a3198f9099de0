package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.SampleEvents.APP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.metrics.EmfTest;
import dev.messengerhandover.testing.DynamoDbLocal;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.PackagedFunction;
import dev.messengerhandover.testing.SampleEvents;
import dev.messengerhandover.testing.SweepSeeder;
import dev.messengerhandover.testing.SnsStandIn;

/**
 * The sweep as the EventBridge schedule runs it: {@code events/scheduled-sweep.json} invoked on the packaged
 * function, on two instances at once (overlapping schedule runs), while a third instance takes the agents' first
 * answers to some of the waiting users. Every hand-over still unanswered is alerted exactly once; one answered in the
 * race is alerted at most once, and never after its answer was stored; the metrics lines are EMF; a request that came
 * through API Gateway is refused the sweep.
 */
class SweepIT {

    static final int WAITING = 30;
    static final int ANSWERED_IN_THE_RACE = 10;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void overlappingSweepsAndADeliveryAlertEveryUnansweredHandoffOnce() throws Exception {
        try (var dynamo = new DynamoDbLocal().start();
                var graph = new GraphStandIn(List.of(new GraphStandIn.Page(SampleEvents.PAGE_ID,
                        SampleEvents.PAGE_TOKEN, SampleEvents.INSTAGRAM_ID)), SampleEvents.APP_SECRET, APP_ID,
                        Set.of(INBOX_APP_ID), System::currentTimeMillis);
                var sns = new SnsStandIn()) {
            var env = SampleEvents.environment(dynamo.endpoint(), graph.url());
            env.put("HANDOVER_ALERTS_TOPIC_ARN", SnsStandIn.TOPIC_ARN);
            env.put("HANDOVER_AWS_SNS_ENDPOINT", sns.url());
            env.put("HANDOVER_METRICS_NAMESPACE", "MessengerHandover/test");
            var setup = new java.util.HashMap<>(env);
            setup.put("HANDOVER_CREATE_TABLE", "true");
            try (var a = new PackagedFunction(setup, "sweep-a"); var b = new PackagedFunction(env, "sweep-b");
                    var c = new PackagedFunction(env, "sweep-c")) {
                // The users asked for a person a quarter of an hour ago (the function's clock is the real one): ten
                // minutes of waiting are past. One more asks now, as deliveries do.
                var users = new SweepSeeder(dynamo.endpoint()).waiting(WAITING,
                        System.currentTimeMillis() - Duration.ofMinutes(15).toMillis());
                var now = c.invoke(SampleEvents.webhook(delivery("messaging", text(newUser(), "agent please"))));
                assertThat(now.status()).as(now.body()).isEqualTo(200);

                var sweep = SampleEvents.raw("scheduled-sweep");
                var pool = Executors.newFixedThreadPool(3);
                try {
                    var sweeps = new ArrayList<java.util.concurrent.Future<PackagedFunction.HttpAnswer>>();
                    for (var instance : List.of(a, b)) {
                        sweeps.add(pool.submit(() -> instance.invoke(sweep)));
                    }
                    Callable<Void> answers = () -> {
                        for (int i = 0; i < ANSWERED_IN_THE_RACE; i++) {
                            var answer = c.invoke(SampleEvents.webhook(delivery("messaging",
                                    echo(users.get(i), INBOX_APP_ID, "Hi, Jo here"))));
                            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                        }
                        return null;
                    };
                    var raced = pool.submit(answers);
                    int alertedBySweeps = 0;
                    for (var s : sweeps) {
                        var answer = s.get();
                        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                        alertedBySweeps += answer.json().path("alerted").asInt();
                    }
                    raced.get();
                    assertThat(alertedBySweeps).as("alerts the sweeps reported").isEqualTo(sns.published().size());
                } finally {
                    pool.shutdown();
                }

                for (int i = 0; i < WAITING; i++) {
                    var user = users.get(i);
                    long alerts = sns.published().stream().filter(p -> p.message().contains("User: " + user + "\n"))
                            .count();
                    var thread = a.invoke(SampleEvents.operatorStatus(user)).json();
                    var kinds = thread.path("history").findValuesAsText("kind");
                    if (i < ANSWERED_IN_THE_RACE) {
                        assertThat(alerts).as("alerts for %s, answered in the race", user).isLessThanOrEqualTo(1);
                        assertThat(kinds).as("history of %s (newest first)", user).startsWith("answered");
                        assertThat(kinds.contains("alerted")).isEqualTo(alerts == 1);
                    } else {
                        assertThat(alerts).as("alerts for %s: %s", user, thread).isEqualTo(1);
                        assertThat(thread.path("followup").path("waiting").path("alerted").asBoolean()).isTrue();
                        assertThat(kinds).first().isEqualTo("alerted");
                    }
                }

                // Through API Gateway (an apiId in the request context) the path does not exist.
                ObjectNode viaApi = (ObjectNode) JSON.readTree(sweep);
                ((ObjectNode) viaApi.path("requestContext")).put("apiId", "a1b2c3d4e5");
                assertThat(a.invoke(viaApi.toString()).status()).isEqualTo(404);
                int before = sns.published().size();
                assertThat(b.invoke(sweep).json().path("alerted").asInt()).as("a later run: nothing left").isZero();
                assertThat(sns.published()).hasSize(before);
            }
            var emf = new ArrayList<String>();
            for (var name : List.of("sweep-a", "sweep-b", "sweep-c")) {
                java.nio.file.Files.readString(PackagedFunction.log(name)).lines()
                        .filter(l -> l.startsWith("{\"_aws\"")).forEach(emf::add);
            }
            for (var line : emf) {
                EmfTest.assertValidEmf(line);
            }
            assertThat(emf).anySatisfy(l -> assertThat(l).contains("\"UnansweredHandoffs\"", "\"alerted\""));
            assertThat(emf).anySatisfy(l -> assertThat(l).contains("\"Handoffs\"", "\"asked_in_words\""));
            assertThat(emf).anySatisfy(l -> assertThat(l).contains("\"Deliveries\"", "\"ok\""));
        }
    }
}
