package dev.messengerhandover.bot;

import static dev.messengerhandover.bot.Asked.fails;
import static dev.messengerhandover.bot.Asked.plenty;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.dev.bots.LexRuntimeModel;
import dev.messengerhandover.dev.bots.LexRuntimeModel.Answer;
import dev.messengerhandover.dev.bots.LexRuntimeModel.Button;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotAnswer.Message;
import dev.messengerhandover.handover.BotAnswer.Reply;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.testing.BotStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The Lex V2 client against Lex's runtime as the stand-in speaks it (RecognizeText, SigV4, REST-JSON errors). */
class LexBotTest extends AgainstStandIn {


    static final BotSettings.Lex SETTINGS = new BotSettings.Lex(BotStandIn.LEX_BOT_ID, BotStandIn.LEX_ALIAS_ID,
            BotStandIn.LEX_LOCALE_ID, BotStandIn.REGION, BotStandIn.LEX_HANDOFF_INTENT);

    LexBot bot() {
        return bot(BotStandIn.CREDENTIALS);
    }

    LexBot bot(AwsBasicCredentials credentials) {
        var env = Map.of("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", standIn.url());
        return new LexBot(new AwsCalls(StaticCredentialsProvider.create(credentials), env::get));
    }

    @Test
    void theUsersWordsGoToTheBotsAliasAndLocaleInTheUsersSessionSigned() throws Exception {
        var answer = bot().ask(SETTINGS, Asked.text("when are you open?"), plenty());

        assertThat(answer.messages()).extracting(Message::text)
                .containsExactly("We're open Monday to Saturday, 9:00 to 18:00.");
        assertThat(answer.handover()).isNull();
        var call = standIn.lex().calls().getFirst();
        assertThat(call.status()).as("SigV4 checked, path and body Lex's").isEqualTo(200);
        assertThat(call.text()).isEqualTo("when are you open?");
        assertThat(call.requestAttributes()).containsEntry("platform", "messenger")
                .containsEntry("account", Asked.ACCOUNT).containsEntry("fallbacks", "1");
        var received = standIn.received().getFirst().request();
        assertThat(received.path()).isEqualTo("/bots/LEXBOT0001/botAliases/TSTALIASID/botLocales/en_US/sessions/"
                + call.sessionId() + "/text");
        assertThat(received.header("Authorization").orElseThrow()).contains("/us-east-1/lex/aws4_request");
        assertThat(new ObjectMapper().readTree(received.body()).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("text", "requestAttributes");
    }

    @Test
    void theSessionIsTheUsersOfTheAccountWithoutTheUsersId() {
        var session = LexBot.sessionId(Asked.ACCOUNT, Asked.USER);

        assertThat(session).matches("[0-9a-f]{64}").doesNotContain(Asked.USER).doesNotContain(Asked.ACCOUNT);
        assertThat(LexBot.sessionId(Asked.ACCOUNT, Asked.USER)).isEqualTo(session);
        assertThat(LexBot.sessionId("200000000000005", Asked.USER)).as("another Page's user").isNotEqualTo(session);
        bot().ask(SETTINGS, Asked.text("hi"), plenty());
        assertThat(standIn.lex().calls().getFirst().sessionId()).isEqualTo(session);
    }

    @Test
    void aCardsButtonsAreQuickRepliesOfTheQuestionBeforeIt() {
        standIn.lex().script(new Answer(List.of(LexRuntimeModel.plainText("Which size?"),
                LexRuntimeModel.card("Sizes", null, new Button("Small", "small"), new Button("Large", "large"))),
                "OrderShirt", "InProgress", Map.of()),
                new Answer(List.of(LexRuntimeModel.card("Pick a colour", "We have two",
                        new Button("Red", "red"), new Button("Blue", "blue"))), "OrderShirt", "InProgress",
                        Map.of()));

        var question = bot().ask(SETTINGS, Asked.text("a shirt"), plenty());
        var card = bot().ask(SETTINGS, Asked.request("m_2", "Small", "small", List.of()), plenty());

        assertThat(question.messages()).containsExactly(new Message("Which size?",
                List.of(new Reply("Small", "small"), new Reply("Large", "large"))));
        assertThat(card.messages()).containsExactly(new Message("Pick a colour\nWe have two",
                List.of(new Reply("Red", "red"), new Reply("Blue", "blue"))));
        assertThat(standIn.lex().calls().get(1).text()).as("a tapped button's value").isEqualTo("small");
    }

    @Test
    void speechAndCustomPayloadsAreReadAsText() {
        standIn.lex().script(LexRuntimeModel.fulfilled("Speak",
                LexRuntimeModel.ssml("<speak>Fish &amp; chips, <break time=\"1s\"/>today.</speak>"),
                LexRuntimeModel.customPayload("{\"text\":\"Anything else?\",\"quickReplies\":"
                        + "[{\"title\":\"No thanks\",\"payload\":\"DONE\"}]}"),
                LexRuntimeModel.customPayload("plain words"),
                LexRuntimeModel.customPayload("{\"attachment\":{\"type\":\"template\"}}")));

        var answer = bot().ask(SETTINGS, Asked.text("menu"), plenty());

        assertThat(answer.messages()).containsExactly(new Message("Fish & chips, today.", List.of()),
                new Message("Anything else?", List.of(new Reply("No thanks", "DONE"))),
                new Message("plain words", List.of()));
    }

    @Test
    void theHandOffIntentDoneOrTheSessionAttributeHandsOver() {
        standIn.lex().script(LexRuntimeModel.fulfilled(BotStandIn.LEX_HANDOFF_INTENT,
                LexRuntimeModel.plainText("Getting someone.")),
                new Answer(List.of(), BotStandIn.LEX_HANDOFF_INTENT, "ReadyForFulfillment", Map.of()),
                new Answer(List.of(LexRuntimeModel.plainText("Are you sure?")), BotStandIn.LEX_HANDOFF_INTENT,
                        "InProgress", Map.of()),
                new Answer(List.of(), "Complaint", "Fulfilled", Map.of("handover", "true", "handoverReason",
                        "angry customer")),
                new Answer(List.of(), "Complaint", "Fulfilled", Map.of("handoverReason", "")));
        var asked = Asked.text("I want a person");

        assertThat(bot().ask(SETTINGS, asked, plenty())).isEqualTo(new BotAnswer(
                List.of(new Message("Getting someone.", List.of())), BotStandIn.LEX_HANDOFF_INTENT));
        assertThat(bot().ask(SETTINGS, asked, plenty()).handover()).isEqualTo(BotStandIn.LEX_HANDOFF_INTENT);
        assertThat(bot().ask(SETTINGS, asked, plenty()).handover()).as("still confirming").isNull();
        assertThat(bot().ask(SETTINGS, asked, plenty()).handover()).isEqualTo("angry customer");
        assertThat(bot().ask(SETTINGS, asked, plenty()).handover())
                .as("the attribute stays set in the session; without a reason, the intent's name")
                .isEqualTo("Complaint");
    }

    @Test
    void eachErrorOfLexHasItsKind() {
        standIn.lex().script(new LexRuntimeModel.Error(429, "ThrottlingException"),
                new LexRuntimeModel.Error(400, "ValidationException"),
                new LexRuntimeModel.Error(403, "AccessDeniedException"),
                new LexRuntimeModel.Error(404, "ResourceNotFoundException"),
                new LexRuntimeModel.Error(409, "ConflictException"),
                new LexRuntimeModel.Error(424, "DependencyFailedException"),
                new LexRuntimeModel.Error(500, "InternalServerException"),
                new LexRuntimeModel.Error(502, "BadGatewayException"),
                new LexRuntimeModel.Raw(200, "<html>not json</html>"),
                new LexRuntimeModel.Raw(200, "{\"messages\":\"not a list\"}"));
        var expected = List.of(BotFailure.THROTTLED, BotFailure.REFUSED, BotFailure.REFUSED, BotFailure.REFUSED,
                BotFailure.REFUSED, BotFailure.ERROR, BotFailure.ERROR, BotFailure.ERROR, BotFailure.MALFORMED,
                BotFailure.MALFORMED);
        for (var failure : expected) {
            fails(failure, () -> bot().ask(SETTINGS, Asked.text("hi"), plenty()))
                    .hasMessageNotContaining("hi");
        }
    }

    @Test
    void aWrongSecretKeyOrAnUnknownAccessKeyIsRefusedByLex() {
        fails(BotFailure.REFUSED, () -> bot(AwsBasicCredentials.create(BotStandIn.CREDENTIALS.accessKeyId(),
                "wrong-secret")).ask(SETTINGS, Asked.text("hi"), plenty()))
                .hasMessageContaining("403 InvalidSignatureException");
        fails(BotFailure.REFUSED, () -> bot(AwsBasicCredentials.create("AKIDSOMEONEELSE00001",
                BotStandIn.CREDENTIALS.secretAccessKey())).ask(SETTINGS, Asked.text("hi"), plenty()))
                .hasMessageContaining("403 UnrecognizedClientException");
        fails(BotFailure.REFUSED, () -> bot().ask(new BotSettings.Lex("OTHERBOT01", BotStandIn.LEX_ALIAS_ID,
                BotStandIn.LEX_LOCALE_ID, BotStandIn.REGION, "TalkToPerson"), Asked.text("hi"), plenty()))
                .hasMessageContaining("404 ResourceNotFoundException");
    }

    @Test
    void theGeneralEndpointVariableServesToo() {
        var env = Map.of("AWS_ENDPOINT_URL", standIn.url() + "/");
        var bot = new LexBot(new AwsCalls(StaticCredentialsProvider.create(BotStandIn.CREDENTIALS), env::get));

        assertThat(bot.ask(SETTINGS, Asked.text("hello"), plenty()).messages()).hasSize(1);
    }

    @Test
    void aSlowLexIsCutOffAtTheDeadlineAndNotAskedWithLessThanASecond() {
        standIn.lex().script(new LexRuntimeModel.Slow(5_000, LexRuntimeModel.fulfilled("Late")));
        var deadline = Deadline.in(Duration.ofMillis(1_500));

        fails(BotFailure.TIMEOUT, () -> bot().ask(SETTINGS, Asked.text("hi"), deadline));

        assertThat(System.nanoTime()).as("returned by the deadline, give or take 300 ms")
                .isLessThan(deadline.atNanos() + Duration.ofMillis(300).toNanos());
        standIn.clear();
        fails(BotFailure.TIMEOUT, () -> bot().ask(SETTINGS, Asked.text("hi"), Deadline.in(Duration.ofMillis(500))));
        assertThat(standIn.received()).isEmpty();
    }

    @Test
    void lexIsToldAButtonsValueElseTheTextElseWhatWasAttachedWithinItsLimit() {
        assertThat(LexBot.utterance(Asked.request("m", "Small", "small", List.of()))).isEqualTo("small");
        assertThat(LexBot.utterance(Asked.request("m", "hello", null, List.of()))).isEqualTo("hello");
        assertThat(LexBot.utterance(Asked.request("m", "", null, List.of()))).isEqualTo("[image]");
        assertThat(LexBot.utterance(Asked.request("m", "x".repeat(2_000), null, List.of()))).hasSize(1_024);
    }
}
