package dev.messengerhandover.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.testing.HttpBotProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link RedeliveryTest}'s conversations with a team's own bot answering over HTTP instead of the catalogue: the same
 * Graph calls and threads whatever the copies, and the bot asked once per event (a second ask would carry the same
 * {@code Idempotency-Key}, which the stand-in answers as a replay).
 */
@QuarkusTest
@TestProfile(HttpBotProfile.class)
class RedeliveryWithAnHttpBotTest extends RedeliveryTest {

    @BeforeEach
    void freshBot() {
        HttpBotProfile.bots().clear();
    }

    @AfterEach
    void theBotWasAskedOncePerEvent() {
        var calls = HttpBotProfile.bots().http().calls();
        assertThat(calls).as("the bot was asked").isNotEmpty();
        assertThat(calls).noneMatch(HttpBotModel.Call::replayed);
        assertThat(calls.stream().map(HttpBotModel.Call::idempotencyKey).distinct()).hasSameSizeAs(calls);
    }
}
