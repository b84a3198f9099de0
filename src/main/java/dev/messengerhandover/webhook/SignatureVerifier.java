package dev.messengerhandover.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body under the app secret.
 * The HMAC is computed over the bytes exactly as received: Meta signs its own serialisation (non-ASCII escaped as
 * lowercase {@code \\uXXXX}), which no re-serialisation would reproduce. SHA-1 {@code X-Hub-Signature} is not accepted.
 */
public final class SignatureVerifier {

    public static final String HEADER = "X-Hub-Signature-256";

    private static final String PREFIX = "sha256=";
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
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || header.length() != PREFIX.length() + 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sign(body), given);
    }

    public byte[] sign(byte[] body) {
        var m = mac.get();
        m.reset();
        return m.doFinal(body);
    }

    /** The header value Meta would send for this body. */
    public String header(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(sign(body));
    }
}
