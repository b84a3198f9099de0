package dev.messengerhandover.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import dev.messengerhandover.testing.BadInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The two pure parts that read what anyone on the internet can send, over thousands of generated cases (jqwik, fixed
 * seeds: a failure replays). Whatever the bytes, the parser returns a delivery or a {@link MalformedDeliveryException}
 * with a short message, and the signature check answers true exactly for the right header, never throwing.
 */
class UntrustedInputPropertyTest {

    private static final String SECRET = "test-app-secret";
    private final SignatureVerifier verifier = new SignatureVerifier(SECRET);

    @Property(tries = 3000, seed = "20261125")
    void aMutatedDeliveryIsParsedOrRefusedAsMalformed(@ForAll("mutatedDeliveries") byte[] body) {
        parsedOrMalformed(body);
    }

    @Property(tries = 2000, seed = "20261125")
    void anyBytesAreParsedOrRefusedAsMalformed(@ForAll byte[] body) {
        parsedOrMalformed(body);
    }

    @Property(tries = 2000, seed = "20261125")
    void anyTextIsParsedOrRefusedAsMalformed(@ForAll String body) {
        parsedOrMalformed(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 4000, seed = "20261125")
    void onlyTheRightSignatureIsAccepted(@ForAll byte[] body, @ForAll Random random,
            @ForAll String anyHeader) {
        var valid = verifier.header(body);
        var header = switch (random.nextInt(4)) {
            case 0 -> anyHeader;
            case 1 -> random.nextBoolean() ? valid : valid.toUpperCase();
            case 2 -> new SignatureVerifier(SECRET + "x").header(body);
            default -> BadInput.mutatedSignature(random, valid);
        };
        // The prefix and the hex digits are read case-insensitively; anything else is a refusal, not an exception.
        assertThat(verifier.isValid(body, header)).as("header %s", header)
                .isEqualTo(header != null && header.equalsIgnoreCase(valid));
    }

    @Provide
    Arbitrary<byte[]> mutatedDeliveries() {
        return Arbitraries.randomValue(BadInput::mutated);
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
            assertThat(event.eventKey()).isNotBlank();
        }
    }
}
