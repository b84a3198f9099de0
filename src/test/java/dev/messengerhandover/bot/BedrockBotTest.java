package dev.messengerhandover.bot;

import static dev.messengerhandover.bot.Asked.fails;
import static dev.messengerhandover.bot.Asked.line;
import static dev.messengerhandover.bot.Asked.plenty;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.dev.bots.BedrockRuntimeModel;
import dev.messengerhandover.dev.bots.BedrockRuntimeModel.Error;
import dev.messengerhandover.dev.bots.BedrockRuntimeModel.HandsOver;
import dev.messengerhandover.dev.bots.BedrockRuntimeModel.Raw;
import dev.messengerhandover.dev.bots.BedrockRuntimeModel.Says;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotAnswer.Message;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.testing.BotStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The Bedrock client against the Converse API as the stand-in speaks it (SigV4, tool use, errors, stop reasons). */
class BedrockBotTest extends AgainstStandIn {

    static final String PROMPT = BedrockPrompt.of(BedrockPromptTest.catalogue(), Optional.empty());
    static final BotSettings.Bedrock SETTINGS = new BotSettings.Bedrock(BedrockBot.DEFAULT_MODEL_ID,
            BotStandIn.REGION, Optional.empty(), Optional.empty(), PROMPT);

    BedrockBot bot() {
        return bot(BotStandIn.CREDENTIALS);
    }

    BedrockBot bot(AwsBasicCredentials credentials) {
        var env = Map.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", standIn.url());
        return new BedrockBot(new AwsCalls(StaticCredentialsProvider.create(credentials), env::get));
    }

    @Test
    void theModelAnswersFromTheFactsAndSaysWhatItCost() {
        var answer = bot().ask(SETTINGS, Asked.text("When are you open on Saturday?"), plenty());

        assertThat(answer.messages()).extracting(Message::text)
                .containsExactly("We're open Monday to Saturday, 9:00 to 18:00.");
        assertThat(answer.handover()).isNull();
        assertThat(answer.usage().inputTokens()).isPositive();
        assertThat(answer.usage().outputTokens()).isPositive();
        var call = standIn.bedrock().calls().getFirst();
        assertThat(call.status()).as("SigV4 checked, the conversation as Bedrock wants it").isEqualTo(200);
        assertThat(call.modelId()).isEqualTo("amazon.nova-micro-v1:0");
        assertThat(standIn.received().getFirst().request().path())
                .isEqualTo("/model/amazon.nova-micro-v1%3A0/converse");
        assertThat(call.system()).isEqualTo(PROMPT);
        assertThat(call.tools()).containsExactly("hand_over_to_person");
        assertThat(call.inferenceConfig().toString()).isEqualTo("{\"maxTokens\":300,\"temperature\":0.2}");
        assertThat(call.guardrail()).isNull();
    }

    @Test
    void askedForAPersonTheModelCallsTheToolAndItsReasonIsTheHandOvers() {
        var byDefault = bot().ask(SETTINGS, Asked.text("can I talk to a human please"), plenty());
        standIn.bedrock().script(new HandsOver("wants to change an order", "I'll ask someone from the team."));
        var withText = bot().ask(SETTINGS, Asked.text("change my order"), plenty());

        assertThat(byDefault).isEqualTo(new BotAnswer(List.of(), "The user asked for a person.",
                byDefault.usage()));
        assertThat(withText.handover()).isEqualTo("wants to change an order");
        assertThat(withText.messages()).extracting(Message::text).containsExactly("I'll ask someone from the team.");
    }

    @Test
    void theConversationAlternatesStartsWithTheUserLeavesOutPeopleAndEndsWithTheNewWords() {
        var transcript = List.of(line(Speaker.BOT, "Hi! Ask me anything."), line(Speaker.USER, "hello"),
                line(Speaker.USER, "where is my parcel"), line(Speaker.BOT, "Orders ship within 2 days."),
                line(Speaker.AGENT, "I refunded you, Alex."), line(Speaker.BOT, "Welcome back!"),
                line(Speaker.USER, "and returns?"));

        bot().ask(SETTINGS, Asked.request("m_9", "and returns?", null, transcript), plenty());

        JsonNode messages = standIn.bedrock().calls().getFirst().messages();
        assertThat(messages.toString()).isEqualTo("[{\"role\":\"user\",\"content\":[{\"text\":\"hello\\nwhere is my "
                + "parcel\"}]},{\"role\":\"assistant\",\"content\":[{\"text\":\"Orders ship within 2 days.\\nWelcome "
                + "back!\"}]},{\"role\":\"user\",\"content\":[{\"text\":\"and returns?\"}]}]");
        assertThat(BedrockBot.turns(Asked.request("m", "", null, List.of()))).extracting(t -> t.content().getFirst()
                .text()).containsExactly("(the user sent: image)");
    }

    @Test
    void aGuardrailIsNamedWhenSetAndItsInterventionIsARefusal() {
        var guarded = new BotSettings.Bedrock(BedrockBot.DEFAULT_MODEL_ID, BotStandIn.REGION,
                Optional.of("gr-abc123"), Optional.empty(), PROMPT);
        standIn.bedrock().script(new BedrockRuntimeModel.Intervenes());

        fails(BotFailure.REFUSED, () -> bot().ask(guarded, Asked.text("something awful"), plenty()))
                .hasMessageContaining("guardrail_intervened");

        assertThat(standIn.bedrock().calls().getFirst().guardrail().toString())
                .isEqualTo("{\"guardrailIdentifier\":\"gr-abc123\",\"guardrailVersion\":\"DRAFT\"}");
    }

    @Test
    void anInferenceProfileArnIsEncodedInThePathAndStillSigned() {
        var arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0";
        var settings = new BotSettings.Bedrock(arn, BotStandIn.REGION, Optional.empty(), Optional.empty(), PROMPT);

        bot().ask(settings, Asked.text("returns"), plenty());

        var call = standIn.bedrock().calls().getFirst();
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.modelId()).isEqualTo(arn);
        assertThat(standIn.received().getFirst().request().path()).startsWith("/model/arn%3Aaws%3Abedrock%3A")
                .contains("inference-profile%2Fus.amazon");
    }

    @Test
    void eachErrorOfBedrockHasItsKind() {
        standIn.bedrock().script(new Error(429, "ThrottlingException"), new Error(429, "ModelNotReadyException"),
                new Error(400, "ValidationException"), new Error(403, "AccessDeniedException"),
                new Error(404, "ResourceNotFoundException"), new Error(408, "ModelTimeoutException"),
                new Error(424, "ModelErrorException"), new Error(500, "InternalServerException"),
                new Error(503, "ServiceUnavailableException"),
                new Raw(400, "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"x\"}"),
                new Raw(200, "not json"), new Raw(200, "{\"output\":{}}"),
                new Raw(200, "{\"output\":{\"message\":{\"content\":[]}},\"stopReason\":\"end_turn\"}"),
                new Raw(200, "{\"output\":{\"message\":{\"content\":[{\"text\":\"x\"}]}},"
                        + "\"stopReason\":\"malformed_tool_use\"}"),
                new Raw(200, "{\"output\":{\"message\":{\"content\":[{\"text\":\"x\"}]}},"
                        + "\"stopReason\":\"content_filtered\"}"));
        var expected = List.of(BotFailure.THROTTLED, BotFailure.THROTTLED, BotFailure.REFUSED, BotFailure.REFUSED,
                BotFailure.REFUSED, BotFailure.TIMEOUT, BotFailure.ERROR, BotFailure.ERROR, BotFailure.ERROR,
                BotFailure.THROTTLED, BotFailure.MALFORMED, BotFailure.MALFORMED, BotFailure.MALFORMED,
                BotFailure.MALFORMED, BotFailure.REFUSED);
        for (var failure : expected) {
            fails(failure, () -> bot().ask(SETTINGS, Asked.text("hello"), plenty())).hasMessageNotContaining("hello");
        }
    }

    @Test
    void anAnswerCutAtTheTokenLimitKeepsItsWholeSentences() {
        standIn.bedrock().script(new Says("Returns are free. You have 30 days to send an item back, and then we "
                + "refund the", "max_tokens"), new Says("Returns are free and", "max_tokens"));

        assertThat(bot().ask(SETTINGS, Asked.text("returns?"), plenty()).messages()).extracting(Message::text)
                .containsExactly("Returns are free. You have 30 days to send an item back, and then we refund the");
        assertThat(BedrockBot.wholeSentences("Returns are free. You have 30 days to send an item back. And then we"))
                .isEqualTo("Returns are free. You have 30 days to send an item back.");
        assertThat(bot().ask(SETTINGS, Asked.text("returns?"), plenty()).messages()).extracting(Message::text)
                .containsExactly("Returns are free and");
    }

    @Test
    void aWrongSecretKeyIsRefusedByBedrock() {
        fails(BotFailure.REFUSED, () -> bot(AwsBasicCredentials.create(BotStandIn.CREDENTIALS.accessKeyId(),
                "wrong-secret")).ask(SETTINGS, Asked.text("hi"), plenty()))
                .hasMessageContaining("403 InvalidSignatureException");
    }

    @Test
    void aSlowModelIsCutOffAtTheDeadline() {
        standIn.bedrock().script(new BedrockRuntimeModel.Slow(5_000, new Says("late")));
        var deadline = Deadline.in(Duration.ofMillis(1_500));

        fails(BotFailure.TIMEOUT, () -> bot().ask(SETTINGS, Asked.text("hi"), deadline));

        assertThat(System.nanoTime()).as("returned by the deadline, give or take 300 ms")
                .isLessThan(deadline.atNanos() + Duration.ofMillis(300).toNanos());
    }
}
