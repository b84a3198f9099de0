package dev.messengerhandover.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private final SignatureVerifier verifier = new SignatureVerifier("s3cret");

    @Test
    void acceptsTheHmacOfTheExactBytes() {
        // Reference value: printf '%s' '{"a":"\u00e9"}' | openssl dgst -sha256 -hmac s3cret
        var body = "{\"a\":\"\\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        var header = verifier.header(body);
        assertThat(header).startsWith("sha256=").hasSize(7 + 64);
        assertThat(verifier.isValid(body, header)).isTrue();
        assertThat(verifier.isValid(body, header.toUpperCase().replace("SHA256=", "sha256="))).isTrue();
        assertThat(verifier.isValid("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8), header)).isFalse();
    }

    @Test
    void refusesMissingMalformedOrOtherAlgorithms() {
        var body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.isValid(body, null)).isFalse();
        assertThat(verifier.isValid(body, "")).isFalse();
        assertThat(verifier.isValid(body, "sha1=" + "0".repeat(40))).isFalse();
        assertThat(verifier.isValid(body, "sha256=" + "0".repeat(64))).isFalse();
        assertThat(verifier.isValid(body, "sha256=xyz")).isFalse();
        assertThat(verifier.isValid(null, verifier.header(body))).isFalse();
    }
}
