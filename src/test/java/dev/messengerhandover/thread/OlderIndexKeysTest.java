package dev.messengerhandover.thread;

import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Platform;
import dev.messengerhandover.testing.Table;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One Page configured by its token once wrote its threads' index keys as {@code me}; they are its Page's id now, in
 * every setup. Threads an older version indexed as {@code me} are still swept on time, and the sweep moves them to
 * the Page's id, where the operator's queues list them.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class OlderIndexKeysTest {

    @Inject
    Sweep sweep;

    @Test
    void threadsIndexedAsMeAreSweptOnTimeAndMovedToThePagesId() {
        Messenger.resetClock();
        var moved = newUser();
        deliver("messaging", text(moved, "I want a human"));
        long handedOver = Messenger.now();
        Table.indexAsMe(Platform.PAGE_ID, moved, "waiting");
        assertThat(waiting()).doesNotContain(moved);

        // Nothing due yet: the sweep moves it where the queue looks.
        sweep.run(Messenger.now());
        assertThat(waiting()).contains(moved);
        assertThat(Table.item(Platform.PAGE_ID, moved).get("queue").s()).isEqualTo(Platform.PAGE_ID + "#waiting");
        assertThat(Table.item(Platform.PAGE_ID, moved).get("dueAccount").s()).isEqualTo(Platform.PAGE_ID);

        // Due while still under "me": found there, on time.
        var due = newUser();
        deliver("messaging", text(due, "agent please"));
        Table.indexAsMe(Platform.PAGE_ID, due, "waiting");
        sweep.run(Messenger.at(handedOver + Duration.ofMinutes(11).toMillis()));
        assertThat(Platform.sns().published()).filteredOn(p -> p.message().contains("User: " + due + "\n"))
                .hasSize(1);
        assertThat(Table.item(Platform.PAGE_ID, due).get("dueAccount").s()).isEqualTo(Platform.PAGE_ID);
    }

    /** Every waiting thread of the Page, page after page. */
    private static List<String> waiting() {
        var users = new java.util.ArrayList<String>();
        String next = null;
        do {
            var request = given().header("X-Api-Key", Platform.ADMIN_KEY).queryParam("state", "waiting")
                    .queryParam("limit", 100);
            if (next != null) {
                request = request.queryParam("next", next);
            }
            var page = request.get("/threads/{page}", Platform.PAGE_ID).then().statusCode(200).extract().jsonPath();
            users.addAll(page.getList("threads.userId", String.class));
            next = page.getString("next");
        } while (next != null);
        return users;
    }
}
