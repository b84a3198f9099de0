package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.entry;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.post;
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

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Messenger delivers at least once: every scenario of the catalogue below is played once, then again on new users with
 * each delivery sent one to three times, the copies right behind the original or arriving late, after later
 * deliveries. The Graph calls made for each user and the thread each user ends with must be those of the single run.
 *
 * <p>Late copies only ever follow their original: Messenger sends one user's distinct deliveries in order, each after
 * the previous one was acknowledged; what comes late is a redelivery of one already answered.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class RedeliveryTest {

    static final AtomicInteger SCENARIOS = new AtomicInteger();
    static final AtomicInteger DELIVERIES = new AtomicInteger();
    static final AtomicInteger COPIES = new AtomicInteger();
    static final AtomicInteger LOST = new AtomicInteger();
    static final AtomicInteger DUPLICATED = new AtomicInteger();
    static final AtomicInteger DIVERGED = new AtomicInteger();

    final GraphStandIn graph = Platform.graph();

    /** What happens on the platform, in order: a delivery Messenger posts, or a move the Page Inbox makes in Graph. */
    sealed interface Step {
    }

    record Post(String body) implements Step {
    }

    record Move(String user, String ownerAppId) implements Step {
    }

    /**
     * A conversation between users, the bot and the Page Inbox, written against the users it is given; on the Page, or
     * ({@code account} the Instagram account's id) on Instagram.
     */
    record Scenario(String name, int users, Consumer<Script> script, String account) {
        Scenario(String name, int users, Consumer<Script> script) {
            this(name, users, script, Platform.PAGE_ID);
        }

        @Override
        public String toString() {
            return name;
        }

        List<Step> build(List<String> ids) {
            var s = new Script(ids);
            script.accept(s);
            return s.steps;
        }
    }

    static final class Script {
        final List<String> users;
        final List<Step> steps = new ArrayList<>();

        Script(List<String> users) {
            this.users = users;
        }

        String user(int i) {
            return users.get(i);
        }

        Script send(String channel, ObjectNode... events) {
            steps.add(new Post(delivery(channel, events)));
            return this;
        }

        /** A delivery of {@code object: instagram} for the Page's Instagram account. */
        Script instagram(String channel, ObjectNode... events) {
            steps.add(new Post(Messenger.delivery("instagram", List.of(Messenger.entryOf(Platform.INSTAGRAM_ID,
                    channel, events)))));
            return this;
        }

        Script batch(ObjectNode... entries) {
            steps.add(new Post(delivery(List.of(entries))));
            return this;
        }

        /** The Page Inbox (or time, for {@code null}: the thread goes idle) changes the owner in Graph. */
        Script move(String user, String ownerAppId) {
            steps.add(new Move(user, ownerAppId));
            return this;
        }

        /** The agent clicks Done: the inbox passes the thread back, then Messenger tells us. */
        Script done(String user) {
            return move(user, APP_ID).send("messaging", passThreadControl(user, APP_ID, INBOX_APP_ID, "done"));
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("bot answers, misunderstands twice, offers a person", 1, s -> s
                        .send("messaging", text(s.user(0), "Hi there"))
                        .send("messaging", text(s.user(0), "what are your opening hours?"))
                        .send("messaging", postback(s.user(0), "Returns", "FAQ_RETURNS"))
                        .send("messaging", text(s.user(0), "zorglub"))
                        .send("messaging", text(s.user(0), "blorp blorp"))
                        .send("messaging", text(s.user(0), "do you ship abroad?"))),
                new Scenario("asks in words, waits on standby, agent answers, Done", 1, s -> s
                        .send("messaging", text(s.user(0), "my parcel arrived broken"))
                        .send("messaging", text(s.user(0), "I want to talk to a person"))
                        .send("standby", text(s.user(0), "hello? anyone?"))
                        .send("standby", echo(s.user(0), INBOX_APP_ID, "Hi, Dana here. Let me check."))
                        .send("standby", text(s.user(0), "thanks Dana"))
                        .send("standby", postback(s.user(0), "Returns", null))
                        .done(s.user(0))
                        .send("messaging", text(s.user(0), "one more thing: opening hours?"))),
                new Scenario("taps the quick reply, twice, across two handoffs", 1, s -> s
                        .send("messaging", text(s.user(0), "hi"))
                        .send("messaging", quickReply(s.user(0), "Talk to a person", "TALK_TO_PERSON"))
                        .send("standby", text(s.user(0), "my order 4711"))
                        .done(s.user(0))
                        .send("messaging", text(s.user(0), "refund?"))
                        .send("messaging", quickReply(s.user(0), "Talk to a person", "TALK_TO_PERSON"))
                        .send("standby", text(s.user(0), "me again"))),
                new Scenario("the inbox requests the thread, twice, and another app once", 1, s -> s
                        .send("messaging", text(s.user(0), "hello"))
                        .send("messaging", requestThreadControl(s.user(0), INBOX_APP_ID))
                        .send("standby", text(s.user(0), "is someone there?"))
                        .send("messaging", requestThreadControl(s.user(0), INBOX_APP_ID))
                        .done(s.user(0))
                        .send("messaging", requestThreadControl(s.user(0), OTHER_APP_ID))
                        .send("messaging", text(s.user(0), "thanks"))),
                new Scenario("the inbox takes the thread, agent answers, Done", 1, s -> s
                        .send("messaging", text(s.user(0), "hi"))
                        .move(s.user(0), INBOX_APP_ID)
                        .send("messaging", takeThreadControl(s.user(0), APP_ID, INBOX_APP_ID))
                        .send("standby", text(s.user(0), "are you a person?"))
                        .send("standby", echo(s.user(0), INBOX_APP_ID, "Yes, Sam from support."))
                        .done(s.user(0))
                        .send("messaging", text(s.user(0), "bye"))),
                new Scenario("the thread moves unannounced, the take comes after, then it goes idle", 1, s -> s
                        .send("messaging", text(s.user(0), "hi"))
                        .move(s.user(0), INBOX_APP_ID)
                        .send("standby", text(s.user(0), "still there?"))
                        .send("messaging", takeThreadControl(s.user(0), APP_ID, INBOX_APP_ID))
                        .move(s.user(0), null)
                        .send("messaging", text(s.user(0), "hello again, what about returns?"))),
                new Scenario("an agent replies while the bot owns, the bot steps aside", 1, s -> s
                        .send("messaging", text(s.user(0), "hi"))
                        .send("messaging", echo(s.user(0), INBOX_APP_ID, "Hi, Sam here, I saw your message."))
                        .send("standby", text(s.user(0), "hi Sam"))
                        .done(s.user(0))),
                new Scenario("own echoes, reads and receipts change nothing", 1, s -> s
                        .send("messaging", text(s.user(0), "hi"))
                        .send("messaging", echo(s.user(0), APP_ID, "Hi! I'm the Page's assistant."), read(s.user(0)),
                                receipt(s.user(0)))
                        .send("messaging", text(s.user(0), "opening hours?"))),
                new Scenario("batches: several entries, users and events per delivery", 3, s -> s
                        .batch(entry("messaging", text(s.user(0), "hi"), text(s.user(1), "I want a human"),
                                text(s.user(2), "refund?")))
                        .batch(entry("standby", text(s.user(1), "hello?")),
                                entry("messaging", quickReply(s.user(0), "Talk to a person", "TALK_TO_PERSON"),
                                        text(s.user(2), "opening hours?")))
                        .batch(entry("standby", echo(s.user(1), INBOX_APP_ID, "Dana here"),
                                text(s.user(0), "still there?")),
                                entry("messaging", text(s.user(2), "zorglub"), text(s.user(2), "blorp")))
                        .move(s.user(1), APP_ID)
                        .batch(entry("messaging", passThreadControl(s.user(1), APP_ID, INBOX_APP_ID, "done"),
                                requestThreadControl(s.user(2), INBOX_APP_ID)),
                                entry("standby", text(s.user(0), "thanks")))),
                new Scenario("instagram: asks for a person, waits on standby, agent answers, Done", 1, s -> s
                        .instagram("messaging", Messenger.textTo(Platform.INSTAGRAM_ID, s.user(0), "hi"))
                        .instagram("messaging", Messenger.textTo(Platform.INSTAGRAM_ID, s.user(0),
                                "I want to talk to a person"))
                        .instagram("standby", Messenger.textTo(Platform.INSTAGRAM_ID, s.user(0), "hello?"))
                        .move(s.user(0), APP_ID)
                        .instagram("messaging", instagramDone(s.user(0)))
                        .instagram("messaging", Messenger.textTo(Platform.INSTAGRAM_ID, s.user(0), "refund?")),
                        Platform.INSTAGRAM_ID));
    }

    /** How one run delivers the steps: each copy of a delivery is a {@link Post} of the same body. */
    enum Replay {
        ONCE, COPIES_IN_ORDER, COPIES_LATE
    }

    /** The Graph calls and the final thread of each user of a run. */
    record Outcome(List<List<String>> effects, List<String> threads) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void redeliveriesChangeNothing(Scenario scenario) {
        SCENARIOS.incrementAndGet();
        var once = play(scenario, Replay.ONCE, new Random(0));
        int seed = scenario.name().hashCode();
        for (var replay : List.of(Replay.COPIES_IN_ORDER, Replay.COPIES_LATE, Replay.COPIES_LATE)) {
            var again = play(scenario, replay, new Random(seed++));
            for (int u = 0; u < scenario.users(); u++) {
                var expected = once.effects().get(u);
                var actual = again.effects().get(u);
                LOST.addAndGet(missing(expected, actual));
                DUPLICATED.addAndGet(missing(actual, expected));
                if (!once.threads().get(u).equals(again.threads().get(u))) {
                    DIVERGED.incrementAndGet();
                }
                assertThat(actual).as("Graph calls for user %d, %s", u, replay).isEqualTo(expected);
                assertThat(again.threads().get(u)).as("thread of user %d, %s", u, replay)
                        .isEqualTo(once.threads().get(u));
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("[reliability] redelivery: scenarios=%d, deliveries=%d, copies=%d, lost=%d, duplicated=%d,"
                + " diverged=%d%n", SCENARIOS.get(), DELIVERIES.get(), COPIES.get(), LOST.get(), DUPLICATED.get(),
                DIVERGED.get());
    }

    private Outcome play(Scenario scenario, Replay replay, Random random) {
        var users = IntStream.range(0, scenario.users()).mapToObj(i -> newUser()).toList();
        for (var step : schedule(scenario.build(users), replay, random)) {
            switch (step) {
                case Move move -> graph.setOwner(move.user(), move.ownerAppId());
                case Post p -> post(p.body()).then().statusCode(200);
            }
        }
        return new Outcome(users.stream().map(graph::effects).toList(),
                users.stream().map(u -> thread(scenario.account(), u)).toList());
    }

    /** The Instagram Inbox passes the thread back: to the Instagram account's own entry. */
    private static ObjectNode instagramDone(String user) {
        var done = passThreadControl(user, APP_ID, "1217981644879628", "done");
        ((ObjectNode) done.get("recipient")).put("id", Platform.INSTAGRAM_ID);
        return done;
    }

    /** The steps as Messenger sends them: each delivery 1 to 3 times; late copies after any later step. */
    static List<Step> schedule(List<Step> steps, Replay replay, Random random) {
        var late = new HashMap<Integer, List<Step>>();
        var out = new ArrayList<Step>();
        for (int i = 0; i < steps.size(); i++) {
            var step = steps.get(i);
            out.add(step);
            if (step instanceof Post) { // a filter over the script's own steps, not a dispatch
                DELIVERIES.incrementAndGet();
                int copies = replay == Replay.ONCE ? 0 : random.nextInt(3);
                COPIES.addAndGet(copies);
                for (int c = 0; c < copies; c++) {
                    int after = replay == Replay.COPIES_IN_ORDER ? i : i + random.nextInt(steps.size() - i);
                    late.computeIfAbsent(after, k -> new ArrayList<>()).add(step);
                }
            }
            var due = late.getOrDefault(i, List.of());
            Collections.shuffle(due, random);
            out.addAll(due);
        }
        return out;
    }

    /** The stored thread without times and ids that differ between runs. */
    static String thread(String account, String user) {
        var t = Operator.thread(account, user);
        var transcript = t.getList("transcript", Map.class).stream().map(l -> l.get("who") + ": " + l.get("text"))
                .toList();
        var history = t.getList("history", Map.class).stream()
                .map(h -> h.get("kind") + " " + h.get("from") + "->" + h.get("to") + " (" + h.get("reason") + ")")
                .toList();
        return "owner=" + t.getString("owner.appId") + " role=" + t.getString("owner.role") + " reason="
                + t.getString("reason") + " fallbacks=" + t.getInt("fallbacks") + "\ntranscript=" + transcript
                + "\nhistory=" + history;
    }

    /** How many of {@code expected} are not in {@code actual}, counting repeats. */
    static int missing(List<String> expected, List<String> actual) {
        var left = new ArrayList<>(actual);
        int missing = 0;
        for (var e : expected) {
            if (!left.remove(e)) {
                missing++;
            }
        }
        return missing;
    }
}
