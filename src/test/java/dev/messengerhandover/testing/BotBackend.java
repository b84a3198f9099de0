package dev.messengerhandover.testing;

import java.util.List;
import java.util.Map;

import dev.messengerhandover.dev.bots.BedrockRuntimeModel;
import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.dev.bots.LexRuntimeModel;
import dev.messengerhandover.handover.BotFailure;

/**
 * One of the three bots an account may ask, as a conversation test scripts it on the {@link BotStandIn}: in its own
 * wire format, an answer with quick replies (Lex: a response card's buttons; a Bedrock model has none), a hand-over
 * (the team's own {@code handover}, Lex's hand-off intent fulfilled, the model's {@code hand_over_to_person} tool), a
 * slow answer, and each way a call can fail.
 */
public enum BotBackend {
    HTTP("http", Platform.PAGE_ID),
    LEX("lex", BotPlatform.GARDEN_PAGE_ID),
    BEDROCK("bedrock", BotPlatform.BOOKSHOP_PAGE_ID);

    /** How long a bot that hangs takes: longer than any delivery's whole budget. */
    public static final long HANG_MILLIS = 25_000;

    private final String wire;
    private final String account;

    BotBackend(String wire, String account) {
        this.wire = wire;
        this.account = account;
    }

    /** The account that asks this bot (in {@link BotPlatform}). */
    public String account() {
        return account;
    }

    /** {@code http}, {@code lex}, {@code bedrock}: the backend as the stand-in records it. */
    public String wire() {
        return wire;
    }

    /** Whether the backend's answers can carry quick replies of the bot's own. */
    public boolean quickReplies() {
        return this != BEDROCK;
    }

    /** Requests the stand-in received for this backend so far. */
    public List<BotStandIn.Received> received(BotStandIn standIn) {
        return standIn.received().stream().filter(r -> r.backend().equals(wire)).toList();
    }

    /** The next request is answered with {@code text} and these quick replies ({title, payload} pairs). */
    public void answers(BotStandIn standIn, String text, String... titlesAndPayloads) {
        switch (this) {
            case HTTP -> {
                var replies = new HttpBotModel.QuickReply[titlesAndPayloads.length / 2];
                for (int i = 0; i < replies.length; i++) {
                    replies[i] = new HttpBotModel.QuickReply(titlesAndPayloads[2 * i], titlesAndPayloads[2 * i + 1]);
                }
                standIn.http().script(replies.length == 0 ? HttpBotModel.says(text) : HttpBotModel.asks(text, replies));
            }
            case LEX -> standIn.lex().script(lexAnswer(text, titlesAndPayloads));
            case BEDROCK -> standIn.bedrock().script(new BedrockRuntimeModel.Says(text));
        }
    }

    private static LexRuntimeModel.Answer lexAnswer(String text, String... titlesAndPayloads) {
        if (titlesAndPayloads.length == 0) {
            return LexRuntimeModel.fulfilled("Information", LexRuntimeModel.plainText(text));
        }
        var buttons = new LexRuntimeModel.Button[titlesAndPayloads.length / 2];
        for (int i = 0; i < buttons.length; i++) {
            buttons[i] = new LexRuntimeModel.Button(titlesAndPayloads[2 * i], titlesAndPayloads[2 * i + 1]);
        }
        // Lex's own channels show a prompt, then the card whose buttons answer it.
        return new LexRuntimeModel.Answer(List.of(LexRuntimeModel.plainText(text), LexRuntimeModel.card("Choose",
                null, buttons)), "OrderShirt", "InProgress", Map.of());
    }

    /** The next request is answered with {@code text} and a hand-over to a person. */
    public void handsOver(BotStandIn standIn, String text) {
        switch (this) {
            case HTTP -> standIn.http().script(HttpBotModel.handsOver("wants a refund", text));
            case LEX -> standIn.lex().script(LexRuntimeModel.fulfilled(BotStandIn.LEX_HANDOFF_INTENT,
                    LexRuntimeModel.plainText(text)));
            case BEDROCK -> standIn.bedrock().script(new BedrockRuntimeModel.HandsOver("The user wants a refund.",
                    text));
        }
    }

    /** The next request is answered with {@code text}, after {@code millis}. */
    public void answersAfter(BotStandIn standIn, long millis, String text) {
        switch (this) {
            case HTTP -> standIn.http().script(new HttpBotModel.Slow(millis, HttpBotModel.says(text)));
            case LEX -> standIn.lex().script(new LexRuntimeModel.Slow(millis, lexAnswer(text)));
            case BEDROCK -> standIn.bedrock().script(new BedrockRuntimeModel.Slow(millis,
                    new BedrockRuntimeModel.Says(text)));
        }
    }

    /**
     * The next request fails as {@code failure} says: a hang past the delivery's time ({@code TIMEOUT}), a 5xx
     * ({@code ERROR}), a 429 ({@code THROTTLED}), a 200 that is not the backend's answer ({@code MALFORMED}), a 4xx
     * ({@code REFUSED}), each in the backend's own words (AWS's error types and statuses for Lex and Bedrock).
     */
    public void fails(BotStandIn standIn, BotFailure failure) {
        switch (this) {
            case HTTP -> standIn.http().script(switch (failure) {
                case TIMEOUT -> new HttpBotModel.Slow(HANG_MILLIS, HttpBotModel.says("Too late."));
                case ERROR -> HttpBotModel.status(503);
                case THROTTLED -> HttpBotModel.status(429);
                case MALFORMED -> HttpBotModel.notJson();
                case REFUSED -> HttpBotModel.status(403);
            });
            case LEX -> standIn.lex().script(switch (failure) {
                case TIMEOUT -> new LexRuntimeModel.Slow(HANG_MILLIS, lexAnswer("Too late."));
                case ERROR -> new LexRuntimeModel.Error(500, "InternalFailureException");
                case THROTTLED -> new LexRuntimeModel.Error(429, "ThrottlingException");
                case MALFORMED -> new LexRuntimeModel.Raw(200, "<html><body>Bad gateway</body></html>");
                case REFUSED -> new LexRuntimeModel.Error(403, "AccessDeniedException");
            });
            case BEDROCK -> standIn.bedrock().script(switch (failure) {
                case TIMEOUT -> new BedrockRuntimeModel.Slow(HANG_MILLIS, new BedrockRuntimeModel.Says("Too late."));
                case ERROR -> new BedrockRuntimeModel.Error(500, "InternalServerException");
                case THROTTLED -> new BedrockRuntimeModel.Error(429, "ThrottlingException");
                case MALFORMED -> new BedrockRuntimeModel.Raw(200,
                        "{\"output\":{\"message\":{\"role\":\"assistant\"}},\"stopReason\":\"end_turn\"}");
                case REFUSED -> new BedrockRuntimeModel.Error(403, "AccessDeniedException");
            });
        }
    }

    @Override
    public String toString() {
        return wire;
    }
}
