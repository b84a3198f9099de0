package dev.messengerhandover.webhook;

import static dev.messengerhandover.testing.GraphStandIn.INBOX_APP_ID;
import static dev.messengerhandover.testing.Messenger.entryOf;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.textTo;
import static dev.messengerhandover.testing.Platform.PAGE_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.bot.BotSignature;
import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.testing.BotAccountsProfile;
import dev.messengerhandover.testing.BotPlatform;
import dev.messengerhandover.testing.BotStandIn;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Operator;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * {@code POST /bot/{accountId}/{userId}/messages}: the Shop's HTTP bot answering later, on its own (a lookup that took
 * a while), signed with its secret. Sent only while the bot may talk, through the same rules as its answers; a retry
 * with the same {@code Idempotency-Key} sends nothing twice; a wrong signature, an account without an HTTP bot, a
 * body that is not the contract's are refused before anything is sent.
 */
@QuarkusTest
@TestProfile(BotAccountsProfile.class)
class BotMessagesResourceTest {

    static final String PARCEL = "{\"messages\":[{\"text\":\"Your parcel left our warehouse this morning.\","
            + "\"quickReplies\":[{\"title\":\"Track it\",\"payload\":\"TRACK\"}]}],\"handover\":null}";

    final GraphStandIn graph = Platform.graph();
    final BotStandIn bots = BotPlatform.bots();

    @BeforeEach
    void freshBots() {
        bots.clear();
    }

    @AfterEach
    void realTime() {
        Messenger.resetClock();
    }

    @Test
    void aSignedMessageIsSentWithItsQuickRepliesAndKeptInTheTranscript() {
        var user = talking();
        post(PAGE_ID, user, PARCEL, BotStandIn.HTTP_SECRET, "parcel-4711").statusCode(200)
                .body("status", equalTo("sent"));

        var sent = graph.calls(user, "messages").getLast().body().path("message");
        assertThat(sent.path("text").asText()).isEqualTo("Your parcel left our warehouse this morning.");
        assertThat(sent.path("quick_replies").findValuesAsText("title")).containsExactly("Track it",
                "Talk to a person");
        assertThat(Operator.thread(PAGE_ID, user).getList("transcript.text", String.class))
                .endsWith("Your parcel left our warehouse this morning.");
    }

    @Test
    void theSameIdempotencyKeySendsOnceAndABodyWithoutOneIsKeyedByItsContent() {
        var user = talking();
        int before = texts(user).size();
        post(PAGE_ID, user, PARCEL, BotStandIn.HTTP_SECRET, "parcel-4711").statusCode(200);
        post(PAGE_ID, user, PARCEL, BotStandIn.HTTP_SECRET, "parcel-4711").statusCode(200);
        assertThat(texts(user)).hasSize(before + 1);

        // Another key is another message, even with the same words.
        post(PAGE_ID, user, PARCEL, BotStandIn.HTTP_SECRET, "parcel-4711-again").statusCode(200);
        assertThat(texts(user)).hasSize(before + 2);

        var other = "{\"messages\":[{\"text\":\"It arrives tomorrow.\"}]}";
        post(PAGE_ID, user, other, BotStandIn.HTTP_SECRET, null).statusCode(200);
        post(PAGE_ID, user, other, BotStandIn.HTTP_SECRET, null).statusCode(200);
        assertThat(texts(user)).filteredOn("It arrives tomorrow."::equals).hasSize(1);
    }

    @Test
    void aHandOverPostedLaterPassesToTheInbox() {
        var user = talking();
        post(PAGE_ID, user, "{\"messages\":[{\"text\":\"This needs our team.\"}],\"handover\":{\"reason\":\"lookup"
                + " failed\"}}", BotStandIn.HTTP_SECRET, "handover-1").statusCode(200);
        assertThat(graph.ownerOf(user)).isEqualTo(INBOX_APP_ID);
        var thread = Operator.thread(PAGE_ID, user);
        assertThat(thread.getString("owner.role")).isEqualTo("page_inbox");
        assertThat(thread.getString("followup.waiting.reason")).isEqualTo("bot_decided");
        assertThat(texts(user)).contains("This needs our team.");
    }

    @Test
    void aWrongOrMissingSignatureIs401AndSendsNothing() {
        var user = talking();
        int before = graph.calls(user).size();
        post(PAGE_ID, user, PARCEL, "not-the-bots-secret", "k1").statusCode(401)
                .body("error", equalTo("invalid signature"));
        given().contentType("application/json").body(PARCEL).post("/bot/{a}/{u}/messages", PAGE_ID, user).then()
                .statusCode(401).body("error", containsString("missing"));
        // Signed over other bytes than those sent.
        given().contentType("application/json").header(BotSignature.HEADER, BotSignature.header(
                BotStandIn.HTTP_SECRET, PARCEL.getBytes(StandardCharsets.UTF_8))).body(PARCEL + " ")
                .post("/bot/{a}/{u}/messages", PAGE_ID, user).then().statusCode(401);
        assertThat(graph.calls(user)).hasSize(before);
    }

    @Test
    void anAccountWithoutAnHttpBotHasNoSuchRoute() {
        var user = newUser();
        for (var account : List.of(BotPlatform.GARDEN_PAGE_ID, BotPlatform.BOOKSHOP_PAGE_ID, Platform.SECOND_PAGE_ID,
                "999999999999999")) {
            post(account, user, PARCEL, BotStandIn.HTTP_SECRET, "k").statusCode(404);
        }
        assertThat(graph.calls(user)).isEmpty();
    }

    @Test
    void theBotMayNotTalkWhileTheInboxHoldsTheThreadOutsideTheWindowOrToAStranger() {
        var held = talking();
        Messenger.post(Messenger.delivery(List.of(entryOf(PAGE_ID, "messaging",
                textTo(PAGE_ID, held, "I want to talk to a person"))))).then().statusCode(200);
        int before = graph.calls(held).size();
        post(PAGE_ID, held, PARCEL, BotStandIn.HTTP_SECRET, "k-held").statusCode(409)
                .body("error", containsString("page_inbox"));
        assertThat(graph.calls(held)).hasSize(before);

        Messenger.advance(Duration.ofHours(-30));
        var quiet = talking();
        Messenger.advance(Duration.ofHours(30));
        int quietBefore = graph.calls(quiet).size();
        post(PAGE_ID, quiet, PARCEL, BotStandIn.HTTP_SECRET, "k-quiet").statusCode(409)
                .body("error", containsString("24 h"));
        assertThat(graph.calls(quiet)).hasSize(quietBefore);

        var stranger = newUser();
        post(PAGE_ID, stranger, PARCEL, BotStandIn.HTTP_SECRET, "k-stranger").statusCode(409)
                .body("error", containsString("unknown thread"));
        assertThat(graph.calls(stranger)).isEmpty();
    }

    @Test
    void aBodyThatIsNotTheContractsIs400() {
        var user = talking();
        int before = graph.calls(user).size();
        for (var body : List.of("not json", "[1,2]", "{\"messages\":\"hello\"}", "{\"messages\":[{\"text\":42}]}",
                "{\"messages\":[{\"quickReplies\":[{\"title\":\"x\"}]}]}")) {
            post(PAGE_ID, user, body, BotStandIn.HTTP_SECRET, null).statusCode(400);
        }
        assertThat(graph.calls(user)).hasSize(before);
    }

    /** A new user of the Shop who has just talked to its bot: the bot holds the thread, the window is open. */
    private String talking() {
        var user = newUser();
        bots.http().script(HttpBotModel.says("Let me look that up: I'll write back in a minute."));
        Messenger.post(Messenger.delivery(List.of(entryOf(PAGE_ID, "messaging",
                textTo(PAGE_ID, user, "where is my parcel?"))))).then().statusCode(200);
        assertThat(texts(user)).contains("Let me look that up: I'll write back in a minute.");
        return user;
    }

    private List<String> texts(String user) {
        return graph.calls(user, "messages").stream().filter(GraphStandIn.Call::ok)
                .filter(c -> c.body().has("message")).map(c -> c.body().path("message").path("text").asText())
                .toList();
    }

    /** Posts {@code body} as the bot would, signed with {@code secret}, with {@code key} unless {@code null}. */
    private static ValidatableResponse post(String account, String user, String body, String secret, String key) {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        var request = given().contentType("application/json").header(BotSignature.HEADER,
                BotSignature.header(secret, bytes)).body(bytes);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/bot/{accountId}/{userId}/messages", account, user).then();
    }
}
