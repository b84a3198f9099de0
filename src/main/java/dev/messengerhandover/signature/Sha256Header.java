package dev.messengerhandover.signature;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The {@code sha256=<hex>} header of an HMAC-SHA256, as Meta signs its deliveries and the function signs its calls to
 * a team's bot: written, and compared with the MAC computed here in constant time. The prefix and the hex digits are
 * read case-insensitively; anything else is a mismatch, never an exception.
 */
public final class Sha256Header {

    public static final String PREFIX = "sha256=";
    private static final int HEX_LENGTH = 64;

    private Sha256Header() {
    }

    public static String of(byte[] mac) {
        return PREFIX + HexFormat.of().formatHex(mac);
    }

    /** Whether {@code header} carries exactly {@code mac}. */
    public static boolean matches(byte[] mac, String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || header.length() != PREFIX.length() + HEX_LENGTH) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac, given);
    }
}
