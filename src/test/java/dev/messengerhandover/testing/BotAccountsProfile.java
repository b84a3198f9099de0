package dev.messengerhandover.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The function serving the {@link BotPlatform}'s accounts, each with its own bot, with the least delivery budget
 * there is (10 s: the last write keeps 4.5 s, and a bot's answer 1.5 s for its messages), so that a bot that hangs
 * costs a test about 4 s.
 */
public class BotAccountsProfile implements QuarkusTestProfile {

    /** The delivery budget here. */
    public static final long BUDGET_MILLIS = 10_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("handover.delivery-budget", "PT10S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(BotPlatform.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
