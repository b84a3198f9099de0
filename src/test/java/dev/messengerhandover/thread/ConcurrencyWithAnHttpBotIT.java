package dev.messengerhandover.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.testing.BotStandIn;
import dev.messengerhandover.testing.DynamoDbLocal;

/**
 * {@link ConcurrencyIT}'s fifty conversations on eight instances with a team's own bot answering over HTTP
 * ({@code HANDOVER_BOT=http}): the same guarantees, "typing..." before each of the bot's answers, and the bot asked
 * exactly once for each message it answers, whichever instances the copies reached.
 */
class ConcurrencyWithAnHttpBotIT extends ConcurrencyIT {

    BotStandIn bots;

    @BeforeEach
    void startBot() {
        bots = new BotStandIn();
    }

    @AfterEach
    void theBotWasAskedOncePerAnswer() {
        try {
            var calls = bots.http().calls();
            long answers = IntStream.range(0, THREADS).mapToObj(this::conversation)
                    .flatMap(c -> c.acts().stream()).filter(a -> a.effect() == Effect.ANSWER).count();
            System.out.printf("[reliability] concurrency with an http bot: bot asked %d times for %d answers,"
                    + " replays %d%n", calls.size(), answers, calls.stream().filter(HttpBotModel.Call::replayed)
                            .count());
            assertThat(calls).noneMatch(HttpBotModel.Call::replayed);
            assertThat(calls).hasSize((int) answers);
        } finally {
            bots.close();
        }
    }

    @Override
    protected Map<String, String> environment(DynamoDbLocal dynamo) {
        var env = super.environment(dynamo);
        env.put("HANDOVER_BOT", "http");
        env.put("HANDOVER_BOT_HTTP_URL", bots.httpBotUrl());
        env.put("HANDOVER_BOT_HTTP_SECRET", BotStandIn.HTTP_SECRET);
        return env;
    }

    @Override
    protected boolean asksABot() {
        return true;
    }
}
