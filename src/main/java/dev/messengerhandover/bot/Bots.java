package dev.messengerhandover.bot;

import jakarta.enterprise.context.ApplicationScoped;

import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.retry.Deadline;

/**
 * Asks the bot an account's settings name. One call, no retry: a failure is a {@link BotException} saying why, and the
 * rules answer from the catalogue in the same delivery. The call gets what is left of {@code deadline}, and none
 * starts with less than a second left. The clients are built on first use, so a deployment with the catalogue alone
 * starts none of them.
 */
@ApplicationScoped
public class Bots {

    private final HttpBot http;
    private final LexBot lex;
    private final BedrockBot bedrock;

    public Bots(HttpBot http, LexBot lex, BedrockBot bedrock) {
        this.http = http;
        this.lex = lex;
        this.bedrock = bedrock;
    }

    /**
     * @throws BotException no usable answer: {@code TIMEOUT}, {@code ERROR}, {@code THROTTLED}, {@code REFUSED} or
     *         {@code MALFORMED}
     * @throws IllegalArgumentException for the catalogue, which the rules answer from themselves
     */
    public BotAnswer ask(BotSettings settings, BotRequest request, Deadline deadline) {
        return switch (settings) {
            case BotSettings.Catalogue c -> throw new IllegalArgumentException(
                    "the catalogue is not asked: the rules answer from it");
            case BotSettings.Http h -> http.ask(h, request, deadline);
            case BotSettings.Lex l -> lex.ask(l, request, deadline);
            case BotSettings.Bedrock b -> bedrock.ask(b, request, deadline);
        };
    }
}
