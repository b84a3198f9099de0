package dev.messengerhandover.account;

import static dev.messengerhandover.testing.Messenger.entryOf;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.textTo;
import static dev.messengerhandover.testing.Platform.SECOND_PAGE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.AccountsProfile;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The Pages from one Secrets Manager secret ({@code handover.pages-secret}), read once at start-up through the AWS
 * SDK against a stand-in of the service, and read again when Graph answers 190 for a Page: a rotated token.
 */
@QuarkusTest
@TestProfile(PagesSecretTest.PagesFromASecret.class)
class PagesSecretTest {

    public static class PagesFromASecret extends AccountsProfile {
        public PagesFromASecret() {
            super("accounts", "secret");
        }
    }

    @Test
    void aRotatedTokenIsReadAgainFromTheSecretAndTheMessageStillGoesOut() {
        var secrets = Platform.secrets();
        var graph = Platform.graph();
        int readsAtStart = secrets.reads();
        assertThat(readsAtStart).as("read at start-up").isEqualTo(1);
        var user = newUser();
        post(Messenger.delivery(List.of(entryOf(SECOND_PAGE_ID, "messaging", textTo(SECOND_PAGE_ID, user, "hi")))))
                .then().statusCode(200);
        assertThat(graph.sentTexts(user)).hasSize(1);
        assertThat(secrets.reads()).as("not on every event").isEqualTo(readsAtStart);

        // The Page's token is rotated: Graph refuses the old one, the secret already has the new one.
        graph.token(SECOND_PAGE_ID, "rotated-token");
        secrets.put(Platform.PAGES_SECRET, Platform.pagesJson("rotated-token"));
        post(Messenger.delivery(List.of(entryOf(SECOND_PAGE_ID, "messaging", textTo(SECOND_PAGE_ID, user,
                "opening hours?"))))).then().statusCode(200);
        assertThat(secrets.reads()).isEqualTo(readsAtStart + 1);
        assertThat(graph.calls(user, "messages")).extracting(c -> c.status() + " " + c.authorization())
                .containsExactly("200 Bearer " + Platform.SECOND_PAGE_TOKEN, "400 Bearer " + Platform.SECOND_PAGE_TOKEN,
                        "200 Bearer rotated-token");
    }
}
