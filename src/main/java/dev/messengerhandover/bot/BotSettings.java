package dev.messengerhandover.bot;

import java.net.URI;
import java.util.Optional;

/**
 * Which bot answers an account's users behind the default app, and how to reach it ({@code handover.bot}, globally
 * or per account). Secrets ({@code Http.secret}) never appear in {@link #toString()}.
 */
public sealed interface BotSettings {

    /** The wire name of the kind: {@code catalogue}, {@code http}, {@code lex}, {@code bedrock}. */
    String kind();

    /** The built-in keyword catalogue ({@code bot-catalogue.json}): no call, no time, no cost. */
    record Catalogue() implements BotSettings {
        @Override
        public String kind() {
            return "catalogue";
        }
    }

    /**
     * A bot of the team's own behind a URL: the JSON contract, signed with {@code secret} (HMAC-SHA256, header
     * {@code X-Handover-Signature-256}), the same secret checking the bot's later answers.
     */
    record Http(URI url, String secret) implements BotSettings {
        @Override
        public String kind() {
            return "http";
        }

        @Override
        public String toString() {
            return "Http[" + url + "]";
        }
    }

    /** Amazon Lex V2: {@code RecognizeText} on a bot alias, in a locale; this intent, fulfilled, hands over. */
    record Lex(String botId, String botAliasId, String localeId, String region, String handoffIntent)
            implements BotSettings {
        @Override
        public String kind() {
            return "lex";
        }
    }

    /**
     * Amazon Bedrock's Converse API on a model (or inference profile) id, with the system prompt built from the
     * account's catalogue and knowledge at start-up, and an optional guardrail.
     */
    record Bedrock(String modelId, String region, Optional<String> guardrailIdentifier,
            Optional<String> guardrailVersion, String systemPrompt) implements BotSettings {
        @Override
        public String kind() {
            return "bedrock";
        }

        @Override
        public String toString() {
            return "Bedrock[" + modelId + ", " + region + "]";
        }
    }
}
