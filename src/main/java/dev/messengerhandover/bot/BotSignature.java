package dev.messengerhandover.bot;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.messengerhandover.signature.Sha256Header;

/**
 * {@code X-Handover-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body under the HTTP bot's secret: on
 * what the function sends the bot, and on what the bot sends back later. The same scheme as Meta's
 * {@code X-Hub-Signature-256} (the webhook's {@code SignatureVerifier}), so a team's bot checks it as it would
 * Meta's, and the header is read and compared by the same {@link Sha256Header}. Computed over the bytes exactly as
 * sent or received, compared in constant time.
 */
public final class BotSignature {

    public static final String HEADER = "X-Handover-Signature-256";

    private static final String ALGORITHM = "HmacSHA256";

    private BotSignature() {
    }

    /** The header value for {@code body} under {@code secret}. */
    public static String header(String secret, byte[] body) {
        return Sha256Header.of(mac(secret, body));
    }

    /** Whether {@code header} is the signature of {@code rawBody} under {@code secret}. */
    public static boolean verify(String secret, byte[] rawBody, String header) {
        return secret != null && !secret.isEmpty() && Sha256Header.matches(mac(secret, rawBody), header);
    }

    private static byte[] mac(String secret, byte[] body) {
        try {
            // One Mac a call: secrets differ by account, and a provider look-up costs microseconds once warm.
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
