package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.entry;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.GraphStandIn.Call;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Batches, redelivery, races between deliveries, and faults of Graph and of our own storage. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class ReliabilityTest {

    GraphStandIn graph = Platform.graph();

    @Test
    void everyEventOfEveryEntryIsHandled() {
        var ann = newUser();
        var bob = newUser();
        var cleo = handedOver();
        var body = delivery(List.of(
                entry("messaging", text(ann, "hello"), text(bob, "what are your opening hours"),
                        text(ann, "do you ship abroad? delivery?")),
                entry("standby", text(cleo, "still waiting for the agent")),
                entry("messaging", quickReply(bob, "Talk to a person", "TALK_TO_PERSON"))));
        post(body).then().statusCode(200).body("events", equalTo(5)).body("applied", equalTo(5));

        assertThat(graph.sentTexts(ann)).hasSize(2);
        assertThat(graph.sentTexts(ann).get(1)).startsWith("Orders ship within 2 working days");
        assertThat(graph.sentTexts(bob)).hasSize(2);
        assertThat(Operator.role(bob)).isEqualTo("page_inbox");
        assertThat(Operator.thread(cleo).getList("transcript.text", String.class))
                .contains("still waiting for the agent");
    }

    @Test
    void redeliveredBatchesHaveNoSecondEffect() {
        var users = List.of(newUser(), newUser(), newUser());
        var first = delivery(List.of(entry("messaging", text(users.get(0), "hi"),
                quickReply(users.get(1), "Talk to a person", "TALK_TO_PERSON"), text(users.get(2), "refund?"))));
        var second = delivery(List.of(entry("messaging", text(users.get(0), "I want a human"))));
        post(first).then().statusCode(200);
        post(second).then().statusCode(200);
        var once = users.stream().map(graph::effects).toList();
        var states = users.stream().map(u -> Operator.thread(u).getMap("owner")).toList();

        // Messenger sends the same deliveries again, several times, in any order.
        var replays = new ArrayList<>(List.of(first, second, first, second, first));
        Collections.shuffle(replays, new Random(7));
        for (var replay : replays) {
            post(replay).then().statusCode(200);
        }
        assertThat(users.stream().map(graph::effects).toList()).isEqualTo(once);
        assertThat(users.stream().map(u -> Operator.thread(u).getMap("owner")).toList()).isEqualTo(states);
    }

    @Test
    void concurrentDeliveriesOfTheSameEventsPassExactlyOnce() throws Exception {
        var users = new ArrayList<String>();
        var bodies = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            var user = newUser();
            users.add(user);
            deliver("messaging", text(user, "hi"));
            bodies.add(delivery("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON")));
        }
        // Eight "instances" receive each delivery: Messenger retried while the first was still at work.
        var tasks = new ArrayList<Callable<Integer>>();
        for (int copy = 0; copy < 8; copy++) {
            for (var body : bodies) {
                tasks.add(() -> post(body).statusCode());
            }
        }
        Collections.shuffle(tasks, new Random(11));
        var pool = Executors.newFixedThreadPool(8);
        try {
            for (var f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isIn(200, 503); // 503 only when a copy gave up waiting: Messenger retries it
            }
        } finally {
            pool.shutdown();
        }
        for (var user : users) {
            assertThat(graph.passes(user)).as("passes for %s", user).hasSize(1);
            assertThat(graph.sentTexts(user)).as("messages for %s", user).hasSize(2);
            assertThat(Operator.role(user)).isEqualTo("page_inbox");
            assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
        }
    }

    @Test
    void concurrentDifferentMessagesForOneThreadAreEachAnsweredOnce() throws Exception {
        var user = newUser();
        var tasks = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 6; i++) {
            var body = delivery("messaging", text(user, "question number " + i));
            tasks.add(() -> post(body).statusCode());
        }
        var pool = Executors.newFixedThreadPool(6);
        try {
            for (var f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(graph.calls(user, "messages")).hasSize(6);
        var said = Operator.thread(user).getList("transcript.text", String.class);
        for (int i = 0; i < 6; i++) {
            assertThat(said).contains("question number " + i);
        }
    }

    @Test
    void transientGraphFailuresAreRetried() {
        var user = newUser();
        graph.failNext("messages", 500, 2, true);
        graph.failNext("messages", 429, 613, false);
        deliver("messaging", text(user, "hello"));
        assertThat(graph.calls(user, "messages")).extracting(Call::status).containsExactly(500, 429, 200);

        graph.failNext("messages", 400, 4, false); // app rate limit: transient by code
        graph.failNext("messages", 503, 0, false);
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        assertThat(graph.passes(user)).extracting(Call::status).containsExactly(400, 503, 200);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    @Test
    void connectionResetsAndSlowAnswersAreSurvived() {
        var user = newUser();
        graph.resetNext("messages");
        graph.hangNext("messages", 1500);
        long start = System.nanoTime();
        deliver("messaging", text(user, "hello"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
        assertThat(graph.calls(user, "messages")).extracting(Call::status).containsExactly(-1, 200);
        assertThat(Operator.thread(user).getList("transcript.who", String.class)).contains("bot");
    }

    @Test
    void aHangingGraphIsCutOffAndTheDeliveryStillAnswersInTime() {
        var user = newUser();
        graph.hangNext("messages", 15_000);
        long start = System.nanoTime();
        deliver("messaging", text(user, "hello"));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertThat(took).isLessThan(20_000);
        // The first attempt timed out on our side; the retry went through.
        assertThat(graph.calls(user, "messages").stream().filter(Call::ok).count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void permanentGraphErrorsAreNotRetried() {
        var user = newUser();
        graph.failNext("messages", 400, 100, false);
        deliver("messaging", text(user, "hello"));
        assertThat(graph.calls(user, "messages")).extracting(Call::status).containsExactly(400);
        // Nothing was said, so nothing is in the transcript as said by the bot.
        assertThat(Operator.thread(user).getList("transcript.who", String.class)).doesNotContain("bot");
    }

    @Test
    void storageOutageAnswers5xxAndRedeliveryCompletesOnce() {
        var user = newUser();
        var body = delivery("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        Platform.storage().down();
        try {
            var answer = post(body);
            answer.then().statusCode(500).body("error", equalTo("storage unavailable, retry later"));
            assertThat(answer.asString()).doesNotContain("Exception");
        } finally {
            Platform.storage().up();
        }
        assertThat(graph.calls(user)).isEmpty();
        post(body).then().statusCode(200);
        post(body).then().statusCode(200);
        assertThat(graph.passes(user)).hasSize(1);
        assertThat(graph.sentTexts(user)).hasSize(1);
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
    }

    @Test
    void unicodeTextIsKeptIntact() {
        var user = newUser();
        var words = "Grüß Gott 👋 — où est ma commande ? 我的订单";
        deliver("messaging", text(user, words));
        assertThat(Operator.thread(user).getList("transcript.text", String.class)).contains(words);
        graph.failNext("messages", 400, 100, false); // the separate pass, which carries the agent's context
        deliver("messaging", quickReply(user, "Talk to a person", "TALK_TO_PERSON"));
        assertThat(graph.calls(user, "pass_thread_control").get(0).body().path("metadata").asText())
                .contains(words);
    }

    @Test
    void doneWithoutAWelcomeBackWhenTheBotAlreadyOwns() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        deliver("messaging", passThreadControl(user, APP_ID, null, null));
        assertThat(graph.sentTexts(user)).hasSize(1);
    }

    @Test
    void stateLivesInDynamoDbNotInTheFunction() {
        var user = handedOver();
        // A new function instance (cold start) sees the same thread: read the table with a client of our own.
        try (var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(Platform.dynamo().endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            var item = dynamo.getItem(r -> r.tableName("handover-test").key(java.util.Map.of(
                    "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                            "THREAD#" + Platform.PAGE_ID + "#" + user),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("STATE")))).item();
            assertThat(item.get("owner").s()).isEqualTo(INBOX_APP_ID);
            assertThat(item.get("reason").s()).isEqualTo("asked_in_words");
            assertThat(Long.parseLong(item.get("expiresAt").n())).isGreaterThan(System.currentTimeMillis() / 1000);
            assertThat(item).doesNotContainKey("claimKey");
        }
    }

    @Test
    void agentEchoOnStandbyIsRecordedNotAnswered() {
        var user = handedOver();
        int before = graph.calls(user).size();
        deliver("standby", echo(user, INBOX_APP_ID, "Dana here"));
        assertThat(graph.calls(user)).hasSize(before);
    }

    private String handedOver() {
        var user = newUser();
        deliver("messaging", text(user, "talk to a human please"));
        assertThat(Operator.role(user)).isEqualTo("page_inbox");
        return user;
    }
}
