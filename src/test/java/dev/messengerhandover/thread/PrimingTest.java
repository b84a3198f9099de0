package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.text;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.GraphStandIn.Call;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(Platform.class)
class PrimingTest {

    @Inject
    Priming priming;

    @Test
    void beforeTheSnapshotGraphIsOnlyRead() {
        int before = Platform.graph().calls().size();
        priming.beforeCheckpoint(null);
        var calls = Platform.graph().calls().subList(before, Platform.graph().calls().size());
        assertThat(calls).extracting(Call::method, Call::endpoint).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET", "me"));
    }

    @Test
    void primingThatFailsDoesNotStopTheFunction() {
        Platform.storage().down();
        Platform.graph().failNext("me", 400, 190, false);
        try {
            priming.beforeCheckpoint(null);
        } finally {
            Platform.storage().up();
        }
        var user = newUser();
        deliver("messaging", text(user, "hello"));
        assertThat(Platform.graph().sentTexts(user)).hasSize(1);
    }

    /** A failed probe holds default behaviour for minutes; the tests after this one expect the probed routing. */
    @AfterEach
    void primeAgain() {
        priming.beforeCheckpoint(null);
    }
}
