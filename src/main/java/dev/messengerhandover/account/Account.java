package dev.messengerhandover.account;

import dev.messengerhandover.bot.BotSettings;
import dev.messengerhandover.config.RoutingMode;
import dev.messengerhandover.graph.PageAccess;
import dev.messengerhandover.handover.ThreadControl;

/**
 * One account this deployment serves: a Page on Messenger, or the Instagram professional account linked to one. Its
 * entry id (what Meta's deliveries and the operator API call it, and what its threads are stored under), how Graph
 * reaches it (an Instagram account through its Page: the same token and Page node), and its own rules and catalogue.
 *
 * @param id the entry id: the Page id, or the Instagram account id ({@code me} for one Page configured by its token)
 * @param pageId the Page whose token and node serve it ({@code null} for one Page configured by its token)
 * @param bot the bot behind the default app for this account, and how to reach it
 */
public record Account(String id, AccountKind kind, String pageId, String name, PageAccess access,
        ThreadControl control, RoutingMode routingMode, BotSettings bot) {

    /** The id one Page configured by its token goes by until Graph names its Page. */
    public static final String TOKEN_PAGE = "me";

    @Override
    public String toString() {
        return "Account[" + kind.wire() + " " + id + ", " + name + "]"; // never the token
    }

    /**
     * How logs name {@code userId}: as it is (an app-scoped id) on Messenger and Instagram; on WhatsApp, where it is a
     * phone number, by a digest ({@code wa_} and the first 10 hex digits of its SHA-256), never in full.
     */
    public String logged(String userId) {
        if (kind != AccountKind.WHATSAPP || userId == null) {
            return userId;
        }
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "wa_" + java.util.HexFormat.of().formatHex(digest, 0, 5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
