package dev.messengerhandover.account;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import dev.messengerhandover.account.AccountSettings.BotChoice;
import dev.messengerhandover.bot.BedrockPrompt;
import dev.messengerhandover.bot.BotSettings;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.BotCatalogue;

/**
 * An account's bot, from its own choice over the global {@code handover.bot.*}: what is missing or malformed fails
 * start-up with the account and the setting named (never a secret's value). Builds nothing that calls out: the
 * clients are made on a bot's first use, so a deployment of catalogues loads none of them.
 */
final class BotChoices {

    /** A knowledge file is read into every Bedrock call's system prompt: it must stay small. */
    static final int KNOWLEDGE_LIMIT = 64 * 1024;

    private BotChoices() {
    }

    static BotSettings settings(BotChoice choice, HandoverConfig.Bot global, BotCatalogue catalogue, String where) {
        var kind = choice.kind().orElse(global.kind()).strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "catalogue" -> new BotSettings.Catalogue();
            case "http" -> {
                var url = choice.url().map(u -> uri(u, where)).or(() -> global.http().url())
                        .orElseThrow(() -> missing(where, "the http bot's URL", "botUrl", "handover.bot.http.url"));
                if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                    throw new IllegalArgumentException(where + ": the http bot's URL must be http(s), was " + url);
                }
                var secret = choice.secret().or(() -> global.http().secret()).filter(t -> !t.isBlank())
                        .orElseThrow(() -> missing(where, "the http bot's secret", "botSecret",
                                "handover.bot.http.secret"));
                yield new BotSettings.Http(url, secret);
            }
            case "lex" -> new BotSettings.Lex(
                    choice.lexBotId().or(() -> global.lex().botId())
                            .orElseThrow(() -> missing(where, "the Lex bot's id", "lexBotId", "handover.bot.lex.bot-id")),
                    choice.lexAliasId().or(() -> global.lex().aliasId()).orElseThrow(() -> missing(where,
                            "the Lex bot's alias id", "lexAliasId", "handover.bot.lex.alias-id")),
                    choice.lexLocale().orElse(global.lex().locale()),
                    region(global.lex().region(), where), global.lex().handoffIntent());
            case "bedrock" -> new BotSettings.Bedrock(choice.bedrockModel().orElse(global.bedrock().modelId()),
                    region(global.bedrock().region(), where),
                    choice.bedrockGuardrail().or(() -> global.bedrock().guardrailIdentifier()),
                    choice.bedrockGuardrailVersion().or(() -> global.bedrock().guardrailVersion()),
                    BedrockPrompt.of(catalogue, knowledge(choice.knowledge().or(() -> global.bedrock().knowledge()),
                            where)));
            default -> throw new IllegalArgumentException(where + ": bot \"" + kind
                    + "\" is not one of catalogue, http, lex, bedrock");
        };
    }

    private static URI uri(String value, String where) {
        try {
            return URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": \"botUrl\" is not a URL");
        }
    }

    /** The bot's region, else the function's own ({@code AWS_REGION}, which Lambda always sets). */
    private static String region(Optional<String> configured, String where) {
        return configured.or(() -> Optional.ofNullable(System.getenv("AWS_REGION"))).filter(r -> !r.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(where + ": no region for the bot: set AWS_REGION or"
                        + " handover.bot.lex.region / handover.bot.bedrock.region"));
    }

    private static Optional<String> knowledge(Optional<String> path, String where) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            var bytes = Files.readAllBytes(Path.of(path.get()));
            if (bytes.length > KNOWLEDGE_LIMIT) {
                throw new IllegalArgumentException(where + ": the knowledge file " + path.get() + " has "
                        + bytes.length + " bytes; at most " + KNOWLEDGE_LIMIT + " go into every prompt");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read the knowledge file " + path.get());
        }
    }

    private static IllegalArgumentException missing(String where, String what, String field, String setting) {
        return new IllegalArgumentException(where + ": " + what + " is missing (\"" + field + "\", or " + setting
                + ")");
    }
}
