package dev.messengerhandover.admin;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.deliver;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.text;
import static dev.messengerhandover.testing.Platform.APP_ID;
import static dev.messengerhandover.testing.Platform.PAGE_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(Platform.class)
class ThreadResourceTest {

    GraphStandIn graph = Platform.graph();

    @Test
    void showsOwnerRoleSinceReasonAndHistoryNewestFirst() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        deliver("messaging", text(user, "talk to a real person"));
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{p}/{u}", PAGE_ID, user)
                .then().statusCode(200)
                .body("pageId", equalTo(PAGE_ID)).body("userId", equalTo(user))
                .body("owner.appId", equalTo(INBOX_APP_ID)).body("owner.role", equalTo("page_inbox"))
                .body("since", notNullValue()).body("reason", equalTo("asked_in_words"))
                .body("history", hasSize(1)).body("history[0].kind", equalTo("passed"))
                .body("history[0].from", equalTo(APP_ID)).body("history[0].to", equalTo(INBOX_APP_ID));
    }

    @Test
    void takeCallsGraphAndGivesTheThreadBackToTheBot() {
        var user = newUser();
        deliver("messaging", text(user, "I want a human"));
        given().header("X-Api-Key", Platform.ADMIN_KEY).post("/threads/{p}/{u}/take", PAGE_ID, user)
                .then().statusCode(200).body("owner.role", equalTo("bot")).body("history[0].kind",
                        equalTo("taken_back"));
        assertThat(graph.calls(user, "take_thread_control")).singleElement()
                .satisfies(c -> assertThat(c.ok()).isTrue());
        assertThat(graph.ownerOf(user)).isEqualTo(APP_ID);

        // Already the bot's: nothing to call.
        given().header("X-Api-Key", Platform.ADMIN_KEY).post("/threads/{p}/{u}/take", PAGE_ID, user)
                .then().statusCode(200);
        assertThat(graph.calls(user, "take_thread_control")).hasSize(1);
    }

    @Test
    void wrongOrMissingKeyIsUnauthorizedAndLeaksNothing() {
        var user = newUser();
        deliver("messaging", text(user, "hi"));
        var body = given().get("/threads/{p}/{u}", PAGE_ID, user).then().statusCode(401).extract().asString();
        assertThat(body).doesNotContain(Platform.ADMIN_KEY).doesNotContain(Platform.PAGE_TOKEN);
        given().header("X-Api-Key", "nope").get("/threads/{p}/{u}", PAGE_ID, user).then().statusCode(401);
        given().header("X-Api-Key", "nope").post("/threads/{p}/{u}/take", PAGE_ID, user).then().statusCode(401);
        assertThat(graph.calls(user, "take_thread_control")).isEmpty();
        var shown = given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{p}/{u}", PAGE_ID, user)
                .then().statusCode(200).extract().asString();
        assertThat(shown).doesNotContain(Platform.PAGE_TOKEN).doesNotContain(Platform.APP_SECRET);
    }

    @Test
    void unknownThreadIs404() {
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{p}/{u}", PAGE_ID, "nobody")
                .then().statusCode(404).body("error", equalTo("no such thread"));
    }
}
