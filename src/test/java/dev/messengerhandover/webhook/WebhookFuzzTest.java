package dev.messengerhandover.webhook;

import static dev.messengerhandover.testing.Messenger.delivery;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.BadInput;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Thousands of mutated deliveries at the real {@code POST /webhook} (Lambda mock event server, DynamoDB Local, Graph
 * stand-in), mostly signed right so that they reach the parser and the thread rules: no answer is a 5xx, every refusal
 * is a short JSON error, and a valid delivery sent after every few of them is still answered. Replay the mutations with
 * {@code -Dfuzz.seed=<seed>} (user and message ids stay random, so counts can move by one or two); {@code -Dfuzz.inputs}
 * sets the count.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class WebhookFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20_261_125L);
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 2000);
    private static final int VALID_EVERY = 50;
    private static final String[] CONTENT_TYPES = { "application/json; charset=UTF-8", "application/json; charset=UTF-16",
            "text/plain", "application/octet-stream", "application/xml", "image/png" };

    @Test
    void mutatedDeliveriesNeverCauseA5xxAndTheFunctionKeepsServing() {
        var random = new Random(SEED);
        int clientErrors = 0;
        int serverErrors = 0;
        int ok = 0;
        int validAfter = 0;
        var failures = new ArrayList<String>();
        long start = System.nanoTime();
        for (int i = 1; i <= INPUTS; i++) {
            var body = BadInput.mutated(random);
            var request = given().body(body);
            header(request, random, body);
            var answer = request.post("/webhook");
            int status = answer.statusCode();
            var text = answer.asString();
            if (status >= 500) {
                serverErrors++;
                failures.add("#" + i + " " + status + " " + text + " for "
                        + new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8));
            } else if (status >= 400) {
                clientErrors++;
                // Past quarkus.http.limits.max-body-size the HTTP layer refuses the body before the function sees it.
                boolean refusedUnread = status == 413 && text.isEmpty() && body.length > 2 * 1024 * 1024;
                if (!refusedUnread && (!text.startsWith("{\"error\":\"") || text.length() > 300
                        || text.contains("Exception"))) {
                    failures.add("#" + i + " " + status + " not a short JSON error: " + text);
                }
            } else {
                ok++;
            }
            if (i % VALID_EVERY == 0) {
                var user = newUser();
                post(delivery("messaging", text(user, "hello"))).then().statusCode(200);
                assertThat(Platform.graph().sentTexts(user)).as("answer after input #%d", i).hasSize(1);
                validAfter++;
            }
        }
        System.out.printf("[reliability] fuzz: inputs=%d, 4xx=%d, 2xx=%d, 5xx=%d, valid after=%d (seed %d, %d s)%n",
                INPUTS, clientErrors, ok, serverErrors, validAfter, SEED, (System.nanoTime() - start) / 1_000_000_000);
        assertThat(failures).as("seed %d", SEED).isEmpty();
    }

    /** The signature and content type Messenger sends, or (now and then) something else. */
    private static void header(RequestSpecification request, Random random, byte[] body) {
        var sig = BadInput.signature(random, body);
        if (sig != null) {
            request.header(SignatureVerifier.HEADER, sig);
        }
        if (random.nextInt(10) < 8) {
            request.contentType("application/json");
        } else {
            request.contentType(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]);
        }
    }
}
