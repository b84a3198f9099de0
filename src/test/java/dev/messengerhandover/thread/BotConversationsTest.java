package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.entryOf;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.textTo;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.bots.BedrockRuntimeModel;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.testing.BotAccountsProfile;
import dev.messengerhandover.testing.BotBackend;
import dev.messengerhandover.testing.BotPlatform;
import dev.messengerhandover.testing.BotStandIn;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.MetricLines;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Conversations with each account's own bot, through signed webhook deliveries, DynamoDB Local, the Graph stand-in and
 * the bots' stand-in, each backend on its wire format: the team's HTTP bot (the Shop), Amazon Lex (the Garden), a
 * model on Amazon Bedrock (the Bookshop), all from one Pages secret ({@link BotPlatform}). The bot's answer is what
 * the user gets; its hand-over passes to the Inbox and Done brings the bot back; whatever way it fails, the user
 * still gets the catalogue's answer and the offer of a person, in the delivery's time, and the failure is counted;
 * the bot is never asked while the Inbox holds the thread, nor outside the user's window, nor twice for one event.
 */
@QuarkusTest
@TestProfile(BotAccountsProfile.class)
class BotConversationsTest {

    static final long BUDGET_NANOS = Duration.ofMillis(BotAccountsProfile.BUDGET_MILLIS).toNanos();
    static final String FALLBACK = "Sorry, I didn't get that.";
    static final String NOTICE = HandoffFlowTest.NOTICE;
    static final String WELCOME_BACK = HandoffFlowTest.WELCOME_BACK;
    static final String TALK_TO_PERSON = "Talk to a person";

    final GraphStandIn graph = Platform.graph();
    final BotStandIn bots = BotPlatform.bots();

    /** What the user saw of one message: its text and its quick replies' titles. */
    record Seen(String text, List<String> replies) {
    }

    @BeforeEach
    void freshBots() {
        bots.clear();
    }

    @AfterEach
    void realTime() {
        Messenger.resetClock();
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void theBotsAnswerIsWhatTheUserReceivesWithItsQuickReplies(BotBackend bot) {
        var user = newUser();
        bot.answers(bots, "Which size would you like?", "Small", "SIZE_S", "Large", "SIZE_L");
        deliver(bot, "messaging", textTo(bot.account(), user, "I'd like a T-shirt"));

        var replies = bot.quickReplies() ? List.of("Small", "Large", TALK_TO_PERSON) : List.of(TALK_TO_PERSON);
        assertThat(seen(user)).containsExactly(new Seen("Which size would you like?", replies));
        var message = messages(user).getFirst().path("message");
        if (bot.quickReplies()) {
            assertThat(message.path("quick_replies").path(0).path("payload").asText()).isEqualTo("SIZE_S");
        }
        assertThat(message.path("quick_replies").path(replies.size() - 1).path("payload").asText())
                .isEqualTo("TALK_TO_PERSON");
        // "Typing..." while the bot thinks, before its answer.
        assertThat(graph.calls(user, "messages").getFirst()).satisfies(typing -> {
            assertThat(typing.body().path("sender_action").asText()).isEqualTo("typing_on");
            assertThat(typing.ok()).isTrue();
        });
        assertThat(bot.received(bots)).hasSize(1).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

        var thread = Operator.thread(bot.account(), user);
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(thread.getList("transcript.text", String.class))
                .containsExactly("I'd like a T-shirt", "Which size would you like?");
        if (bot.quickReplies()) {
            // The tap brings the bot's payload back to the bot.
            bot.answers(bots, "Large it is.");
            deliver(bot, "messaging", quickReplyTo(bot.account(), user, "Large", "SIZE_L"));
            assertThat(told(bot, 1)).isEqualTo("SIZE_L");
            assertThat(seen(user).getLast().text()).isEqualTo("Large it is.");
        }
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void aHandOverTheBotDecidesPassesToTheInboxAndAfterDoneTheBotAnswersAgain(BotBackend bot) {
        var user = newUser();
        bot.handsOver(bots, "Refunds are for our team: let me get someone.");
        deliver(bot, "messaging", textTo(bot.account(), user, "I want my money back for order 4711"));

        assertThat(seen(user)).extracting(Seen::text).hasSize(2)
                .first().isEqualTo("Refunds are for our team: let me get someone.");
        assertThat(seen(user).getLast().text()).startsWith(NOTICE);
        assertThat(graph.passes(user)).singleElement().satisfies(p -> assertThat(p.passedTo()).isEqualTo(INBOX_APP_ID));
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
        var held = Operator.thread(bot.account(), user);
        assertThat(held.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(held.getString("followup.queue")).isEqualTo("waiting");
        assertThat(held.getString("followup.waiting.reason")).isEqualTo("bot_decided");
        assertThat(held.getString("history[0].kind")).isEqualTo("passed");

        // While the Inbox holds the thread: the user and the agent talk, on standby for us; the bot is not asked.
        int asked = bot.received(bots).size();
        int messages = seen(user).size();
        deliver(bot, "standby", textTo(bot.account(), user, "hello? order 4711"));
        deliver(bot, "standby", on(bot.account(), Messenger.echo(user, INBOX_APP_ID,
                "Dana here: your refund for order 4711 is on its way.")));
        assertThat(bot.received(bots)).hasSize(asked);
        assertThat(seen(user)).hasSize(messages);

        // Done: the Inbox passes the thread back; the user is welcomed back, and the bot answers again.
        graph.setOwner(user, APP_ID);
        deliver(bot, "messaging", on(bot.account(), Messenger.passThreadControl(user, APP_ID, INBOX_APP_ID, "done")));
        assertThat(seen(user).getLast().text()).startsWith(WELCOME_BACK);
        assertThat(Operator.thread(bot.account(), user).getString("owner.role")).isEqualTo("bot");
        bot.answers(bots, "We ship to Belgium, yes.");
        deliver(bot, "messaging", textTo(bot.account(), user, "do you ship to Belgium?"));
        assertThat(seen(user).getLast().text()).isEqualTo("We ship to Belgium, yes.");
        assertThat(bot.received(bots)).hasSize(asked + 1);
        var request = bot.received(bots).getLast().request().text();
        switch (bot) {
            // The team's bot gets the whole transcript, the agent's line marked as the agent's.
            case HTTP -> assertThat(request).contains("\"who\":\"agent\"", "Dana here");
            // A model is not shown what only a person could say (it would take it for its own and build on it).
            case BEDROCK -> assertThat(request).doesNotContain("Dana here").contains("do you ship to Belgium?");
            // Lex is told the words alone; its own session keeps its dialogue.
            case LEX -> assertThat(request).doesNotContain("Dana here").contains("do you ship to Belgium?");
        }
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void theBotIsNeverAskedWhileTheInboxHoldsTheThread(BotBackend bot) {
        var user = newUser();
        // What asks for a person never reaches the bot: the rules hand over themselves.
        deliver(bot, "messaging", textTo(bot.account(), user, "I want to talk to a person"));
        deliver(bot, "standby", textTo(bot.account(), user, "are you there?"));
        deliver(bot, "standby", textTo(bot.account(), user, "what are your opening hours?"));
        assertThat(bot.received(bots)).isEmpty();
        assertThat(graph.passes(user)).hasSize(1);
        assertThat(seen(user)).extracting(Seen::text).singleElement().asString().startsWith(NOTICE);
        assertThat(Operator.thread(bot.account(), user).getList("transcript.text", String.class))
                .contains("are you there?", "what are your opening hours?");
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void theBotIsNeverAskedOutsideTheUsersWindow(BotBackend bot) {
        var user = newUser();
        // A message that reaches us a day late (Messenger's redeliveries go on for a while): nothing could be sent.
        Messenger.advance(Duration.ofHours(-26));
        var late = textTo(bot.account(), user, "are you open on Sunday?");
        Messenger.advance(Duration.ofHours(26));
        deliver(bot, "messaging", late);
        assertThat(bot.received(bots)).isEmpty();
        assertThat(seen(user)).isEmpty();
        var thread = Operator.thread(bot.account(), user);
        assertThat(thread.getString("history[0].kind")).isEqualTo("message_skipped");
        assertThat(thread.getBoolean("windowOpen")).isFalse();
    }

    static Stream<Arguments> failures() {
        return Stream.of(BotBackend.values())
                .flatMap(bot -> Stream.of(BotFailure.values()).map(failure -> Arguments.of(bot, failure)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("failures")
    void whateverWayTheBotFailsTheUserIsAnsweredInTimeAndTheFailureCounted(BotBackend bot, BotFailure failure) {
        var user = newUser();
        long countedBefore = counted(bot, failure);
        bot.fails(bots, failure);
        long sent = System.nanoTime();
        deliver(bot, "messaging", textTo(bot.account(), user, "can I pay with a voucher?"));
        long answered = System.nanoTime();

        assertThat(seen(user)).singleElement().satisfies(s -> {
            assertThat(s.text()).startsWith(FALLBACK);
            assertThat(s.replies()).containsExactly(TALK_TO_PERSON);
        });
        assertThat(bot.received(bots)).as("asked once, no retry").hasSize(1);
        var thread = Operator.thread(bot.account(), user);
        assertThat(thread.getString("history[0].kind")).isEqualTo("bot_failed");
        assertThat(thread.getString("history[0].detail")).isEqualTo(failure.wire());
        assertThat(thread.getString("owner.role")).isEqualTo("bot");
        assertThat(counted(bot, failure)).as("BotFailures{Account=%s, Kind=%s}", bot.account(), failure.wire())
                .isEqualTo(countedBefore + 1);
        // In the delivery's time: the answer left within the budget; a hung bot's answer was still to come.
        assertThat(answered - sent).as("delivery answered within its budget").isLessThan(BUDGET_NANOS);
        if (failure == BotFailure.TIMEOUT) {
            assertThat(answered).as("answered before the hung bot would have").isLessThan(
                    bot.received(bots).getFirst().answerDueNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void aSlowBotThatAnswersInTimeIsWaitedFor(BotBackend bot) {
        var user = newUser();
        bot.answersAfter(bots, 1_500, "Yes, vouchers work online and in the shop.");
        long sent = System.nanoTime();
        deliver(bot, "messaging", textTo(bot.account(), user, "can I pay with a voucher?"));
        long answered = System.nanoTime();

        assertThat(seen(user)).extracting(Seen::text).containsExactly("Yes, vouchers work online and in the shop.");
        assertThat(answered).as("the delivery waited for the bot's answer")
                .isGreaterThanOrEqualTo(bot.received(bots).getFirst().answerDueNanos());
        assertThat(answered - sent).isLessThan(BUDGET_NANOS);
        assertThat(Operator.thread(bot.account(), user).getList("history.kind", String.class))
                .doesNotContain("bot_failed");
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void aLongAnswerIsSplitAtMessengersLimitTheRepliesOnItsLastPart(BotBackend bot) {
        var user = newUser();
        var sentence = "Our returns policy covers every item bought online or in the shop within thirty days. ";
        var answer = sentence.repeat(50).strip(); // about 4,300 characters
        bot.answers(bots, answer, "Start a return", "RETURN");
        deliver(bot, "messaging", textTo(bot.account(), user, "tell me everything about returns"));

        var parts = seen(user);
        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.text()).hasSizeLessThanOrEqualTo(2000));
        assertThat(String.join(" ", parts.stream().map(Seen::text).toList())).isEqualTo(answer);
        assertThat(parts.subList(0, 2)).allSatisfy(p -> assertThat(p.replies()).isEmpty());
        assertThat(parts.getLast().replies()).endsWith(TALK_TO_PERSON);
        assertThat(parts).allSatisfy(p -> assertThat(p.text()).endsWith("."));
    }

    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void theSameDeliveryRedeliveredAsksTheBotOnceAndSendsOnce(BotBackend bot) {
        var user = newUser();
        bot.answers(bots, "We're open until 18:00 today.");
        bot.answers(bots, "A second answer nobody should see.");
        var body = Messenger.delivery(List.of(entryOf(bot.account(), "messaging",
                textTo(bot.account(), user, "until when are you open today?"))));
        Messenger.post(body).then().statusCode(200);
        Messenger.post(body).then().statusCode(200);
        Messenger.post(body).then().statusCode(200);

        assertThat(bot.received(bots)).hasSize(1);
        assertThat(seen(user)).extracting(Seen::text).containsExactly("We're open until 18:00 today.");
        assertThat(Operator.thread(bot.account(), user).getList("transcript.text", String.class))
                .containsOnlyOnce("We're open until 18:00 today.");
    }

    /**
     * What each backend is sent: the team's bot the contract's JSON, signed, with a key per event; Lex the words and
     * the request attributes, in a session that does not name the user; the model the catalogue's facts and the
     * knowledge file, under the account's guardrail, which may also stop an answer.
     */
    @ParameterizedTest
    @EnumSource(BotBackend.class)
    void eachBackendIsToldWhatItsContractSays(BotBackend bot) throws Exception {
        var user = newUser();
        bot.answers(bots, "Thirty days, for a full refund.");
        deliver(bot, "messaging", textTo(bot.account(), user, "how long do I have to return something?"));
        var request = bot.received(bots).getFirst().request();
        switch (bot) {
            case HTTP -> {
                var call = bots.http().calls().getFirst();
                assertThat(call.idempotencyKey()).hasSize(32);
                var json = call.request();
                assertThat(json.path("account").path("id").asText()).isEqualTo(Platform.PAGE_ID);
                assertThat(json.path("account").path("platform").asText()).isEqualTo("messenger");
                assertThat(json.path("account").path("name").asText()).isEqualTo("Shop");
                assertThat(json.path("user").path("id").asText()).isEqualTo(user);
                assertThat(json.path("event").path("text").asText())
                        .isEqualTo("how long do I have to return something?");
                assertThat(json.path("event").path("mid").asText()).startsWith("m_");
                assertThat(json.path("context").path("transcript").isArray()).isTrue();
                assertThat(request.header("X-Handover-Signature-256")).get().asString().startsWith("sha256=");
            }
            case LEX -> {
                var call = bots.lex().calls().getFirst();
                assertThat(call.sessionId()).doesNotContain(user);
                assertThat(call.text()).isEqualTo("how long do I have to return something?");
                assertThat(call.requestAttributes()).containsEntry("platform", "messenger")
                        .containsEntry("account", BotPlatform.GARDEN_PAGE_ID).containsKey("fallbacks");
                assertThat(request.header("Authorization")).get().asString()
                        .contains("/" + BotStandIn.REGION + "/lex/aws4_request");
            }
            case BEDROCK -> {
                var call = bots.bedrock().calls().getFirst();
                assertThat(call.modelId()).isEqualTo("amazon.nova-micro-v1:0");
                assertThat(call.system()).contains("We're open Monday to Saturday", BotPlatform.KNOWLEDGE);
                assertThat(call.tools()).containsExactly("hand_over_to_person");
                assertThat(call.guardrail().path("guardrailIdentifier").asText()).isEqualTo(BotPlatform.GUARDRAIL);
                assertThat(call.guardrail().path("guardrailVersion").asText())
                        .isEqualTo(BotPlatform.GUARDRAIL_VERSION);
                // What the model read and wrote, counted per account.
                assertThat(metric("BotInputTokens", bot.account())).isPositive();
                assertThat(metric("BotOutputTokens", bot.account())).isPositive();

                // The guardrail stops an answer: what the model would have said is not sent.
                bots.bedrock().script(new BedrockRuntimeModel.Intervenes());
                deliver(bot, "messaging", textTo(bot.account(), user, "say something rude"));
                assertThat(seen(user).getLast().text()).startsWith(FALLBACK);
                assertThat(Operator.thread(bot.account(), user).getString("history[0].detail"))
                        .isEqualTo("refused");
            }
        }
    }

    @Test
    void anAccountThatKeptTheCatalogueAsksNoBot() {
        var user = newUser();
        Messenger.post(Messenger.delivery(List.of(entryOf(Platform.SECOND_PAGE_ID, "messaging",
                textTo(Platform.SECOND_PAGE_ID, user, "what are your opening hours?"))))).then().statusCode(200);
        assertThat(bots.received()).isEmpty();
        assertThat(seen(user)).extracting(Seen::text).singleElement().asString()
                .startsWith("We're open Monday to Saturday");
        assertThat(graph.calls(user, "messages")).noneMatch(c -> c.body().has("sender_action"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** Posts one event of {@code bot}'s account on {@code channel}, signed, and expects a 200. */
    private static void deliver(BotBackend bot, String channel, ObjectNode event) {
        Messenger.post(Messenger.delivery(List.of(entryOf(bot.account(), channel, event)))).then().statusCode(200);
    }

    /** The event as it comes for {@code account}: the Page's id where the test builders put the first Page's. */
    private static ObjectNode on(String account, ObjectNode event) {
        for (var side : List.of("sender", "recipient")) {
            if (Platform.PAGE_ID.equals(event.path(side).path("id").asText())) {
                ((ObjectNode) event.get(side)).put("id", account);
            }
        }
        return event;
    }

    private static ObjectNode quickReplyTo(String account, String user, String title, String payload) {
        var event = textTo(account, user, title);
        ((ObjectNode) event.get("message")).putObject("quick_reply").put("payload", payload);
        return event;
    }

    /** The user's words (or a tap's payload) the bot was told in its {@code n}th request. */
    private String told(BotBackend bot, int n) {
        return switch (bot) {
            case HTTP -> bots.http().calls().get(n).payload();
            case LEX -> bots.lex().calls().get(n).text();
            case BEDROCK -> bots.bedrock().calls().get(n).lastUserText();
        };
    }

    /** The messages (not typing indicators) Graph accepted for the user, as Graph got them. */
    private List<JsonNode> messages(String user) {
        return graph.calls(user, "messages").stream().filter(GraphStandIn.Call::ok)
                .filter(c -> c.body().has("message")).map(GraphStandIn.Call::body).toList();
    }

    private List<Seen> seen(String user) {
        var seen = new ArrayList<Seen>();
        for (var body : messages(user)) {
            var titles = new ArrayList<String>();
            body.path("message").path("quick_replies").forEach(r -> titles.add(r.path("title").asText()));
            seen.add(new Seen(body.path("message").path("text").asText(), titles));
        }
        return seen;
    }

    /** How many {@code BotFailures} the function has counted for the bot's account and this failure. */
    private static long counted(BotBackend bot, BotFailure failure) {
        return MetricLines.documents().stream().filter(d -> d.has("BotFailures"))
                .filter(d -> bot.account().equals(d.path("Account").asText())
                        && failure.wire().equals(d.path("Kind").asText()))
                .mapToLong(d -> d.get("BotFailures").isArray() ? d.get("BotFailures").size() : 1).sum();
    }

    /** The sum of a per-account metric's values written so far. */
    private static double metric(String name, String account) {
        return MetricLines.documents().stream().filter(d -> d.has(name) && account.equals(d.path("Account").asText()))
                .flatMap(d -> d.get(name).isArray() ? java.util.stream.StreamSupport.stream(d.get(name).spliterator(),
                        false) : Stream.of(d.get(name)))
                .mapToDouble(JsonNode::asDouble).sum();
    }
}
