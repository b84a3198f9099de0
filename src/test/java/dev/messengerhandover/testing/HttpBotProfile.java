package dev.messengerhandover.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The tests' {@link Platform} with every account answered by a team's own bot over HTTP ({@code handover.bot=http},
 * globally): the {@link BotStandIn}'s, which answers what it reads unless a test scripts it. For suites written for
 * the catalogue that are to cover the bot's path as they are.
 */
public class HttpBotProfile implements QuarkusTestProfile {

    private static BotStandIn bots;

    /** The bot every account asks. */
    public static BotStandIn bots() {
        return bots;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Bot.class));
    }

    /** The stand-in, and the function's global bot setting pointing at it. */
    public static class Bot implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            bots = new BotStandIn();
            return Map.of("handover.bot", "http", "handover.bot.http.url", bots.httpBotUrl(),
                    "handover.bot.http.secret", BotStandIn.HTTP_SECRET);
        }

        @Override
        public void stop() {
            if (bots != null) {
                bots.close();
                bots = null;
            }
        }
    }
}
