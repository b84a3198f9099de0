package dev.messengerhandover.webhook;

import static dev.messengerhandover.testing.Seeded.forEachCase;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.event.Delivery;
import dev.messengerhandover.testing.BadInput;

/**
 * The two pure parts that read what anyone on the internet can send, over thousands of generated cases (a fixed seed,
 * {@code -Dfuzz.seed=} for another: a failure names its seed and case, so it replays). Whatever the bytes, the parser
 * returns a delivery or a {@link MalformedDeliveryException} with a short message, and the signature check answers
 * true exactly for the right header, never throwing.
 */
class UntrustedInputPropertyTest {

    private static final String SECRET = "test-app-secret";
    private final SignatureVerifier verifier = new SignatureVerifier(SECRET);

    @Test
    void aMutatedDeliveryIsParsedOrRefusedAsMalformed() {
        forEachCase(3000, random -> parsedOrMalformed(BadInput.mutated(random)));
    }

    @Test
    void anyBytesAreParsedOrRefusedAsMalformed() {
        forEachCase(2000, random -> parsedOrMalformed(anyBytes(random)));
    }

    @Test
    void anyTextIsParsedOrRefusedAsMalformed() {
        forEachCase(2000, random -> parsedOrMalformed(anyText(random).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onlyTheRightSignatureIsAccepted() {
        forEachCase(4000, random -> {
            var body = anyBytes(random);
            var valid = verifier.header(body);
            var header = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(10) == 0 ? null : anyText(random);
                case 1 -> random.nextBoolean() ? valid : valid.toUpperCase();
                case 2 -> new SignatureVerifier(SECRET + "x").header(body);
                default -> BadInput.mutatedSignature(random, valid);
            };
            // The prefix and the hex digits are read case-insensitively; anything else is a refusal, not an exception.
            assertThat(verifier.isValid(body, header)).as("header %s", header)
                    .isEqualTo(header != null && header.equalsIgnoreCase(valid));
        });
    }

    /** Mostly short, sometimes long, any byte values: invalid UTF-8 included. */
    private static byte[] anyBytes(Random random) {
        var bytes = new byte[random.nextInt(8) == 0 ? random.nextInt(4096) : random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** JSON's own characters, letters, controls, non-Latin text, emoji and lone surrogates, in any order. */
    private static String anyText(Random random) {
        var alphabet = "{}[]\":,\\ \t\n0123456789-+.eEtruefalsnobjectpagentry\u0000\u001f\u00e9\u4e2d\ud83d\ude00\ud800";
        var text = new StringBuilder();
        int length = random.nextInt(8) == 0 ? random.nextInt(2000) : random.nextInt(40);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static void parsedOrMalformed(byte[] body) {
        Delivery delivery;
        try {
            delivery = DeliveryParser.parse(body);
        } catch (MalformedDeliveryException refused) {
            assertThat(refused.getMessage()).isNotBlank().hasSizeLessThan(200);
            return;
        }
        assertThat(delivery.object()).isNotNull();
        for (var event : delivery.events()) {
            assertThat(event.envelope()).isNotNull();
            assertThat(event.key()).isNotBlank();
        }
    }
}
