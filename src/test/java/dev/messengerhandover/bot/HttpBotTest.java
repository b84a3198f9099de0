package dev.messengerhandover.bot;

import static dev.messengerhandover.bot.Asked.fails;
import static dev.messengerhandover.bot.Asked.plenty;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.dev.bots.HttpBotModel.QuickReply;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.testing.BotStandIn;

/** The HTTP bot's client against a team's bot that keeps to the contract (the stand-in's), over HTTP. */
class HttpBotTest extends AgainstStandIn {

    final HttpBot bot = new HttpBot();

    BotSettings.Http settings() {
        return new BotSettings.Http(URI.create(standIn.httpBotUrl()), BotStandIn.HTTP_SECRET);
    }

    @Test
    void theBotIsSentTheEventInItsContextSignedAndAnswersWithMessages() throws Exception {
        standIn.http().script(HttpBotModel.says("Hello!", "How can I help?"));
        var request = Asked.request("m_1", "hi there", null, List.of(Asked.line(Speaker.USER, "earlier"),
                Asked.line(Speaker.BOT, "an answer"), Asked.line(Speaker.AGENT, "a person")));

        var answer = bot.ask(settings(), request, plenty());

        assertThat(answer.messages()).extracting(BotAnswer.Message::text).containsExactly("Hello!", "How can I help?");
        assertThat(answer.handover()).isNull();
        var received = standIn.received().getFirst();
        assertThat(received.status()).as("signature and key accepted").isEqualTo(200);
        assertThat(received.request().header("Content-Type")).contains("application/json");
        var sent = new ObjectMapper().readTree(received.request().body());
        assertThat(sent.path("account").toString()).isEqualTo(
                "{\"id\":\"200000000000002\",\"platform\":\"messenger\",\"name\":\"Shop\"}");
        assertThat(sent.path("user").path("id").asText()).isEqualTo(Asked.USER);
        var event = sent.path("event");
        assertThat(event.path("mid").asText()).isEqualTo("m_1");
        assertThat(event.path("text").asText()).isEqualTo("hi there");
        assertThat(event.has("payload")).as("a field without a value is null, not left out").isTrue();
        assertThat(event.path("payload").isNull()).isTrue();
        assertThat(event.path("attachments").toString())
                .isEqualTo("[{\"type\":\"image\",\"url\":\"https://cdn.example.com/a.png\"}]");
        assertThat(event.path("nlp").toString()).isEqualTo(
                "[{\"kind\":\"intent\",\"name\":\"greeting\",\"value\":\"greeting\",\"confidence\":0.87}]");
        assertThat(event.path("at").asText()).isEqualTo("2027-01-15T08:00:00Z");
        var context = sent.path("context");
        assertThat(context.path("transcript")).extracting(l -> l.path("who").asText())
                .containsExactly("user", "bot", "agent");
        assertThat(context.path("transcript").get(0).path("at").asText()).isEqualTo("2027-01-15T07:59:00Z");
        assertThat(context.path("fallbacks").asInt()).isEqualTo(1);
        assertThat(context.path("language").asText()).isEqualTo("en");
    }

    @Test
    void quickRepliesComeWithTheirMessage() {
        standIn.http().script(HttpBotModel.asks("Which size?", new QuickReply("Small", "SIZE_S"),
                new QuickReply("Large", "SIZE_L")));

        var answer = bot.ask(settings(), Asked.text("a shirt"), plenty());

        assertThat(answer.messages()).containsExactly(new BotAnswer.Message("Which size?",
                List.of(new BotAnswer.Reply("Small", "SIZE_S"), new BotAnswer.Reply("Large", "SIZE_L"))));
    }

    @Test
    void aHandOverHasItsReasonAndTheMessagesBeforeIt() {
        standIn.http().script(HttpBotModel.handsOver("refund over 100 EUR", "Let me get someone."));

        var answer = bot.ask(settings(), Asked.text("I want my money back"), plenty());

        assertThat(answer.handover()).isEqualTo("refund over 100 EUR");
        assertThat(answer.messages()).extracting(BotAnswer.Message::text).containsExactly("Let me get someone.");
    }

    @Test
    void theIdempotencyKeyIsTheSameForEachDeliveryOfOneEventAndOnlyForIt() {
        var event = Asked.request("m_same", "hello", null, List.of());
        bot.ask(settings(), event, plenty());
        bot.ask(settings(), event, plenty());
        bot.ask(settings(), Asked.request("m_other", "hello", null, List.of()), plenty());
        bot.ask(settings(), Asked.request(null, null, "GET_STARTED", List.of()), plenty());

        var keys = standIn.http().calls().stream().map(HttpBotModel.Call::idempotencyKey).toList();
        assertThat(keys.get(0)).isEqualTo(keys.get(1)).hasSize(32).doesNotContain(Asked.USER);
        assertThat(keys.get(2)).isNotEqualTo(keys.get(0));
        assertThat(keys.get(3)).as("without a mid: from the time").isNotIn(keys.get(0), keys.get(2));
        assertThat(standIn.http().calls().get(1).replayed()).as("the bot saw the key before").isTrue();
        assertThat(HttpBot.idempotencyKey(Asked.request(null, "x", null, List.of())))
                .isEqualTo(HttpBot.idempotencyKey(Asked.request("", "y", null, List.of())));
    }

    @Test
    void aWrongSecretIsRefusedByTheBot() {
        var wrong = new BotSettings.Http(URI.create(standIn.httpBotUrl()), "not-the-secret");

        fails(BotFailure.REFUSED, () -> bot.ask(wrong, Asked.text("hi"), plenty()));

        assertThat(standIn.received()).extracting(BotStandIn.Received::status).containsExactly(401);
    }

    @Test
    void eachFailureOfTheBotHasItsKind() {
        standIn.http().script(HttpBotModel.status(500), HttpBotModel.status(503), HttpBotModel.status(429),
                HttpBotModel.status(400), HttpBotModel.status(404), HttpBotModel.status(302), HttpBotModel.notJson(),
                new HttpBotModel.Raw(200, "application/json", "{\"messages\":{\"text\":\"not a list\"}}"),
                new HttpBotModel.Raw(200, "application/json", "[]"),
                new HttpBotModel.Raw(200, "application/json", "{\"messages\":[{\"text\":1}]}"),
                new HttpBotModel.Raw(200, "application/json", "{\"handover\":\"now\"}"));
        var expected = List.of(BotFailure.ERROR, BotFailure.ERROR, BotFailure.THROTTLED, BotFailure.REFUSED,
                BotFailure.REFUSED, BotFailure.REFUSED, BotFailure.MALFORMED, BotFailure.MALFORMED,
                BotFailure.MALFORMED, BotFailure.MALFORMED, BotFailure.MALFORMED);
        for (int i = 0; i < expected.size(); i++) {
            fails(expected.get(i), () -> bot.ask(settings(), Asked.text("hi"), plenty()));
        }
    }

    @Test
    void aBotThatCannotBeReachedIsAnError() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var nowhere = new BotSettings.Http(URI.create("http://127.0.0.1:" + closed + "/hook"), "secret");

        fails(BotFailure.ERROR, () -> bot.ask(nowhere, Asked.text("hi"), plenty()));
    }

    @Test
    void aSlowBotIsCutOffAtTheDeadline() {
        standIn.http().script(new HttpBotModel.Slow(5_000, HttpBotModel.says("too late")));
        var deadline = Deadline.in(Duration.ofMillis(1_500));

        fails(BotFailure.TIMEOUT, () -> bot.ask(settings(), Asked.text("hi"), deadline));

        assertThat(System.nanoTime()).as("returned by the deadline, give or take 300 ms")
                .isLessThan(deadline.atNanos() + Duration.ofMillis(300).toNanos());
    }

    @Test
    void withLessThanASecondLeftTheBotIsNotAsked() {
        fails(BotFailure.TIMEOUT, () -> bot.ask(settings(), Asked.text("hi"), Deadline.in(Duration.ofMillis(900))));

        assertThat(standIn.received()).isEmpty();
    }

    @Test
    void anAnswerPostedLaterReadsTheSameAndItsSignatureIsChecked() {
        var body = ("{\"messages\":[{\"text\":\"Your parcel left today.\",\"extra\":true}],"
                + "\"handover\":null,\"trace\":\"ignored\"}").getBytes(StandardCharsets.UTF_8);
        var header = BotSignature.header(BotStandIn.HTTP_SECRET, body);

        assertThat(BotSignature.verify(BotStandIn.HTTP_SECRET, body, header)).isTrue();
        assertThat(BotSignature.verify(BotStandIn.HTTP_SECRET, body, header.toUpperCase())).as("hex in any case")
                .isTrue();
        assertThat(BotSignature.verify("other", body, header)).isFalse();
        assertThat(BotSignature.verify(BotStandIn.HTTP_SECRET, "{}".getBytes(StandardCharsets.UTF_8), header))
                .isFalse();
        assertThat(BotSignature.verify(BotStandIn.HTTP_SECRET, body, header.substring(7))).isFalse();
        assertThat(BotSignature.verify(BotStandIn.HTTP_SECRET, body, null)).isFalse();
        assertThat(BotSignature.verify(BotStandIn.HTTP_SECRET, body, "sha256=" + "zz".repeat(32))).isFalse();

        assertThat(HttpBotContract.answer(body).messages()).extracting(BotAnswer.Message::text)
                .containsExactly("Your parcel left today.");
        assertThat(HttpBotContract.answer("{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new BotAnswer(List.of(), null));
        assertThat(HttpBotContract.answer(new byte[0])).as("nothing to say now").isEqualTo(new BotAnswer(List.of(),
                null));
        assertThat(HttpBotContract.answer("{\"handover\":{}}".getBytes(StandardCharsets.UTF_8)).handover())
                .isEqualTo(HttpBotContract.UNSAID_REASON);
        fails(BotFailure.MALFORMED, () -> HttpBotContract.answer("{\"messages\":[{}]}".getBytes(
                StandardCharsets.UTF_8)));
        fails(BotFailure.MALFORMED, () -> HttpBotContract.answer(("{\"messages\":[{\"text\":\"t\",\"quickReplies\":"
                + "[{\"title\":\"no payload\"}]}]}").getBytes(StandardCharsets.UTF_8)));
    }
}
