package dev.messengerhandover.graph;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Graph calls reach one Page: its node in the path (the Page id, or {@code me} for the token's own Page), the
 * token as a bearer header (never in a URL or an access log), and the {@code appsecret_proof} that apps with "Require
 * App Secret" must send with every call: hex HMAC-SHA256 of the token under the app secret, computed once here rather
 * than on every call. {@link #toString()} shows neither secret.
 */
public final class PageAccess {

    private final String node;
    private final String bearer;
    private final String appsecretProof;

    private PageAccess(String node, String bearer, String appsecretProof) {
        this.node = node;
        this.bearer = bearer;
        this.appsecretProof = appsecretProof;
    }

    /** {@code pageId} null: the token's own Page, {@code /me}. */
    public static PageAccess of(String pageId, String token, String appSecret) {
        return new PageAccess(pageId == null ? "me" : pageId, "Bearer " + token, proof(token, appSecret));
    }

    public static String proof(String token, String appSecret) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public String node() {
        return node;
    }

    String bearer() {
        return bearer;
    }

    String appsecretProof() {
        return appsecretProof;
    }

    /** Whether both reach Graph with the same token (compared by proof, in constant time). */
    public boolean sameTokenAs(PageAccess other) {
        return java.security.MessageDigest.isEqual(appsecretProof.getBytes(StandardCharsets.US_ASCII),
                other.appsecretProof.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "PageAccess[" + node + "]";
    }
}
