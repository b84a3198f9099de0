package dev.messengerhandover.bot;

import static dev.messengerhandover.bot.Asked.fails;
import static dev.messengerhandover.bot.Asked.plenty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.testing.BotStandIn;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** One way in for the rules: each setting reaches its bot, the catalogue is not asked, no call starts without time. */
class BotsTest extends AgainstStandIn {

    Bots bots;

    @BeforeEach
    void bots() {
        var env = Map.of("AWS_ENDPOINT_URL", standIn.url());
        var aws = new AwsCalls(StaticCredentialsProvider.create(BotStandIn.CREDENTIALS), env::get);
        bots = new Bots(new HttpBot(), new LexBot(aws), new BedrockBot(aws));
    }

    static List<BotSettings> asked() {
        return List.of(new BotSettings.Http(URI.create(standIn.httpBotUrl()), BotStandIn.HTTP_SECRET),
                LexBotTest.SETTINGS, new BotSettings.Bedrock(BedrockBot.DEFAULT_MODEL_ID, BotStandIn.REGION,
                        Optional.empty(), Optional.empty(), BedrockBotTest.PROMPT));
    }

    @Test
    void eachSettingReachesItsBot() {
        for (var settings : asked()) {
            assertThat(bots.ask(settings, Asked.text("I'd like a person"), plenty()).handover()).as(settings.kind())
                    .isNotNull();
        }
        assertThat(standIn.received()).extracting(BotStandIn.Received::backend)
                .containsExactly("http", "lex", "bedrock");
    }

    @Test
    void theCatalogueIsNotAskedHere() {
        assertThatThrownBy(() -> bots.ask(new BotSettings.Catalogue(), Asked.text("hi"), plenty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withLessThanASecondLeftNoBotIsAsked() {
        for (var settings : asked()) {
            fails(BotFailure.TIMEOUT, () -> bots.ask(settings, Asked.text("hi"), Deadline.in(Duration.ofMillis(999))));
        }
        assertThat(standIn.received()).isEmpty();
    }
}
