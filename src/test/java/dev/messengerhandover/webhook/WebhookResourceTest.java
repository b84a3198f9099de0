package dev.messengerhandover.webhook;

import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.signature;
import static dev.messengerhandover.testing.Messenger.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The webhook's contract with Messenger: handshake, signatures, and clear answers to bad input. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class WebhookResourceTest {

    @Test
    void subscriptionHandshakeEchoesTheChallenge() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "test-verify-token")
                .queryParam("hub.challenge", "1158201444").get("/webhook")
                .then().statusCode(200).body(equalTo("1158201444"));
    }

    @Test
    void handshakeWithWrongTokenIsForbidden() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "guess")
                .queryParam("hub.challenge", "1").get("/webhook")
                .then().statusCode(403).body("error", equalTo("verification refused"));
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", "test-verify-token")
                .queryParam("hub.challenge", "1").get("/webhook").then().statusCode(403);
    }

    @Test
    void handshakeWithoutParametersIsBadRequest() {
        given().get("/webhook").then().statusCode(400).body("error", containsString("hub.verify_token"));
        given().queryParam("hub.mode", "subscribe").get("/webhook").then().statusCode(400);
    }

    @Test
    void unsignedOrWronglySignedDeliveriesAreRefusedAndChangeNothing() {
        var user = newUser();
        var body = delivery("messaging", text(user, "hello"));
        given().contentType("application/json").body(body).post("/webhook")
                .then().statusCode(401).body("error", equalTo("missing X-Hub-Signature-256"));
        given().contentType("application/json").header("X-Hub-Signature-256", signature(body + " "))
                .body(body).post("/webhook").then().statusCode(401).body("error", equalTo("invalid signature"));
        // The SHA-1 header alone is not accepted, even when correct for SHA-1's sake.
        given().contentType("application/json").header("X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567")
                .body(body).post("/webhook").then().statusCode(401);
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=zz")
                .body(body).post("/webhook").then().statusCode(401);
        assertThat(Platform.graph().calls(user)).isEmpty();
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{p}/{u}", Platform.PAGE_ID, user)
                .then().statusCode(404);
    }

    @Test
    void signatureIsCheckedOverTheEscapedBytesAsSent() {
        var user = newUser();
        var body = delivery("messaging", text(user, "Grüße 👋 — ça va?"));
        assertThat(body).contains("\\u00fc").doesNotContain("ü");
        post(body).then().statusCode(200);
        assertThat(Platform.graph().calls(user, "messages")).hasSize(1);

        // The same JSON with the characters unescaped is a different byte string: the old signature must not pass.
        var unescaped = body.replace("\\u00fc", "ü");
        given().contentType("application/json").header("X-Hub-Signature-256", signature(body))
                .body(unescaped.getBytes(StandardCharsets.UTF_8)).post("/webhook").then().statusCode(401);
    }

    @Test
    void malformedDeliveriesGetAShortJsonError() {
        for (var bad : new String[] { "", "{", "[]", "{\"object\":\"page\"}", "{\"object\":\"page\",\"entry\":{}}",
                "{\"object\":\"page\",\"object\":\"page\",\"entry\":[]}", "{\"object\":\"page\",\"entry\":[]} x",
                "null", "\"page\"" }) {
            var response = post(bad);
            response.then().statusCode(400).contentType(containsString("application/json"))
                    .body("error", not(containsString("Exception")));
            assertThat(response.asString()).as("answer to %s", bad).hasSizeLessThan(300).doesNotContain("\tat ");
        }
    }

    /** An odd event is set aside, not a reason to refuse the delivery it came in (Meta would drop them all). */
    @Test
    void anOddEventIsAcknowledgedAndSetAside() {
        post("{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{}}]}]}").then()
                .statusCode(200).body("events", org.hamcrest.Matchers.equalTo(1))
                .body("applied", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void deeplyNestedJsonIsRefusedNotCrashed() {
        var deep = "{\"object\":\"page\",\"entry\":[" + "[".repeat(5000) + "]".repeat(5000) + "]}";
        post(deep).then().statusCode(400);
    }

    @Test
    void oversizedDeliveriesAreRefusedBeforeTheSignatureIsChecked() {
        // 413 rather than 401 for a wrong signature: the size is the first thing looked at, nothing is hashed or parsed.
        // Lambda hands the function the whole body (API Gateway and Lambda refuse more than 6 MB themselves).
        for (int size : new int[] { 1_048_577, 1_900_000 }) {
            oversized(size).then().statusCode(413).body("error", containsString("larger than"));
        }
        // Past quarkus.http.limits.max-body-size the HTTP layer in front of the function refuses it, unread.
        oversized(5_000_000).then().statusCode(413);
        post(pad(1_000_000)).then().statusCode(200);
    }

    private static io.restassured.response.Response oversized(int size) {
        return given().contentType("application/json").header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
                .body(pad(size).getBytes(StandardCharsets.UTF_8)).post("/webhook");
    }

    private static String pad(int size) {
        return "{\"object\":\"page\",\"entry\":[],\"pad\":\"" + "x".repeat(size) + "\"}";
    }

    @Test
    void deliveriesForOtherObjectsAreAcknowledgedAndIgnored() {
        post("{\"object\":\"permissions\",\"entry\":[]}").then().statusCode(200)
                .body("status", equalTo("ignored"));
    }

    @Test
    void unknownEventKindsAreKeptOutOfTheWay() {
        var user = newUser();
        var odd = dev.messengerhandover.testing.Messenger.event(user, Platform.PAGE_ID);
        odd.putObject("reaction").put("reaction", "love").put("mid", "m_1");
        post(delivery("messaging", odd, text(user, "hi"))).then().statusCode(200).body("events", equalTo(2))
                .body("applied", equalTo(1));
    }

    @Test
    void functionKeepsServingAfterBadInput() {
        post("{").then().statusCode(400);
        var user = newUser();
        post(delivery("messaging", text(user, "hello"))).then().statusCode(200);
    }
}
