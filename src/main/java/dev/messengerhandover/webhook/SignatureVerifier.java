package dev.messengerhandover.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.messengerhandover.signature.Sha256Header;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body under the app secret.
 * The HMAC is computed over the bytes exactly as received: Meta signs its own serialisation (non-ASCII escaped as
 * lowercase {@code \\uXXXX}), which no re-serialisation would reproduce. SHA-1 {@code X-Hub-Signature} is not accepted.
 */
public final class SignatureVerifier {

    public static final String HEADER = "X-Hub-Signature-256";

    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> mac;

    public SignatureVerifier(String appSecret) {
        var key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        // A Mac is not thread-safe and creating one costs a provider look-up: keep one per worker thread.
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                var m = Mac.getInstance(ALGORITHM);
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public boolean isValid(byte[] body, String header) {
        return Sha256Header.matches(sign(body), header);
    }

    public byte[] sign(byte[] body) {
        var m = mac.get();
        m.reset();
        return m.doFinal(body);
    }

    /** The header value Meta would send for this body. */
    public String header(byte[] body) {
        return Sha256Header.of(sign(body));
    }
}
