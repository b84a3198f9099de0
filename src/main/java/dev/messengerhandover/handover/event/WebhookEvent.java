package dev.messengerhandover.handover.event;

import java.util.List;
import java.util.Map;

/**
 * One event of a webhook delivery, as Messenger defines it
 * (https://developers.facebook.com/docs/messenger-platform/webhooks). Unknown kinds become {@link Unknown} so that a
 * new platform feature never fails a delivery. Every place that dispatches on the kind is a {@code switch} without
 * {@code default}: a new kind does not compile until each of them handles it.
 */
public sealed interface WebhookEvent {

    Envelope envelope();

    /** The person on the other side of the thread (the PSID), or {@code null} for Page-level events. */
    default String userId() {
        return switch (this) {
            case Message m when m.isEcho() -> envelope().recipientId();
            case Message m -> envelope().senderId();
            case Postback p -> envelope().senderId();
            case Read r -> envelope().senderId();
            case DeliveryReceipt d -> envelope().senderId();
            case PassThreadControl p -> envelope().senderId();
            case TakeThreadControl t -> envelope().senderId();
            case RequestThreadControl r -> envelope().senderId();
            case AppRoles a -> null;
            case Referral r -> envelope().senderId();
            case Optin o -> envelope().senderId();
            case MessageDeleted d -> envelope().senderId();
            case UnsupportedMessage u -> envelope().senderId();
            case StoryReply r -> envelope().senderId();
            case StoryMention m -> envelope().senderId();
            case Reaction r -> envelope().senderId();
            case PolicyEnforcement p -> null;
            case SelfMessage m -> null;
            case Status st -> envelope().recipientId();
            case Unknown u -> envelope().senderId();
        };
    }

    /**
     * Stable identity of this event across redeliveries, kept in the thread's item to recognise copies: the message id
     * where there is one, else kind, channel, parties and time, and a digest of everything else that makes two events
     * different (two apps asking for the same thread in the same millisecond are two requests). The prefixes are wire
     * names, written out here rather than taken from the class names, so that renaming a record never changes a key.
     */
    default String key() {
        return switch (this) {
            case Message m when m.mid() != null -> "mid:" + m.mid();
            case Message m -> positional("Message", m.isEcho(), m.appId(), m.text(), m.quickReplyPayload(),
                    m.attachments());
            case Postback p when p.mid() != null -> "postback:" + p.mid();
            case Postback p -> positional("Postback", p.title(), p.payload());
            case Read r -> positional("Read", r.watermark());
            case DeliveryReceipt d -> positional("DeliveryReceipt", d.watermark(), d.mids());
            case PassThreadControl p -> positional("PassThreadControl", p.newOwnerAppId(), p.previousOwnerAppId(),
                    p.metadata());
            case TakeThreadControl t -> positional("TakeThreadControl", t.previousOwnerAppId(), t.newOwnerAppId(),
                    t.metadata());
            case RequestThreadControl r -> positional("RequestThreadControl", r.requestedOwnerAppId(),
                    r.metadata());
            case AppRoles a -> positional("AppRoles", new java.util.TreeMap<>(a.roles()));
            case Referral r -> positional("Referral", r.ref(), r.source());
            case Optin o -> positional("Optin", o.ref());
            case MessageDeleted d -> d.mid() != null ? "deleted:" + d.mid() : positional("MessageDeleted");
            case UnsupportedMessage u -> u.mid() != null ? "mid:" + u.mid() : positional("UnsupportedMessage");
            case StoryReply r -> r.mid() != null ? "mid:" + r.mid() : positional("StoryReply", r.text());
            case StoryMention m -> m.mid() != null ? "mid:" + m.mid() : positional("StoryMention", m.url());
            case Reaction r -> positional("Reaction", r.mid(), r.action(), r.emoji());
            case PolicyEnforcement p -> positional("PolicyEnforcement", p.action(), p.reason());
            case SelfMessage m -> m.mid() != null ? "self:" + m.mid() : positional("SelfMessage");
            case Status st -> positional("Status", st.mid(), st.status(), st.errorCode());
            case Unknown u -> positional("Unknown", u.fields());
        };
    }

    /** The event's kind as logs name it. */
    default String kind() {
        return switch (this) {
            case Message m when m.isEcho() -> "echo";
            case Message m -> "message";
            case Postback p -> "postback";
            case Read r -> "read";
            case DeliveryReceipt d -> "delivery";
            case PassThreadControl p -> "pass_thread_control";
            case TakeThreadControl t -> "take_thread_control";
            case RequestThreadControl r -> "request_thread_control";
            case AppRoles a -> "app_roles";
            case Referral r -> "referral";
            case Optin o -> "optin";
            case MessageDeleted d -> "message_deleted";
            case UnsupportedMessage u -> "unsupported_message";
            case StoryReply r -> "story_reply";
            case StoryMention m -> "story_mention";
            case Reaction r -> "reaction";
            case PolicyEnforcement p -> "policy_enforcement";
            case SelfMessage m -> "self_message";
            case Status st -> "status";
            case Unknown u -> "unknown";
        };
    }

    private String positional(String prefix, Object... content) {
        var e = envelope();
        var key = prefix + ':' + e.channel() + ':' + e.senderId() + ':' + e.recipientId() + ':' + e.timestamp();
        return content.length == 0 ? key : key + ':' + digest(content);
    }

    /** A short digest of an event's content (fields in a fixed order): equal for copies, different for others. */
    private static String digest(Object... content) {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            for (var part : content) {
                // Each field with its length: ("ab", "c") and ("a", "bc") digest differently.
                var text = String.valueOf(part);
                sha.update((text.length() + ":" + text + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A message from the user, or (with {@code isEcho}) a copy of a message the Page sent. */
    record Message(Envelope envelope, String mid, String text, String quickReplyPayload, List<Attachment> attachments,
            List<NlpSignal> nlp, boolean isEcho, String appId) implements WebhookEvent {
        public Message {
            attachments = List.copyOf(attachments);
            nlp = List.copyOf(nlp);
        }
    }

    record Attachment(String type, String url) {
    }

    /** One signal of Messenger's built-in NLP: an intent, a trait or an entity, with its confidence. */
    record NlpSignal(String kind, String name, String value, double confidence) {
    }

    /** A tap on a button. On standby Messenger omits the payload. */
    record Postback(Envelope envelope, String mid, String title, String payload) implements WebhookEvent {
    }

    record Read(Envelope envelope, long watermark) implements WebhookEvent {
    }

    record DeliveryReceipt(Envelope envelope, List<String> mids, long watermark) implements WebhookEvent {
        public DeliveryReceipt {
            mids = List.copyOf(mids);
        }
    }

    /** Control was passed to {@code newOwnerAppId}; {@code previousOwnerAppId} is null when the thread was idle. */
    record PassThreadControl(Envelope envelope, String newOwnerAppId, String previousOwnerAppId, String metadata)
            implements WebhookEvent {
    }

    record TakeThreadControl(Envelope envelope, String previousOwnerAppId, String newOwnerAppId, String metadata)
            implements WebhookEvent {
    }

    /** Another app asks the thread's owner (us) for control. */
    record RequestThreadControl(Envelope envelope, String requestedOwnerAppId, String metadata)
            implements WebhookEvent {
    }

    /** The Page's connected apps changed: app id to its roles. */
    record AppRoles(Envelope envelope, Map<String, List<String>> roles) implements WebhookEvent {
        public AppRoles {
            roles = Map.copyOf(roles);
        }
    }

    record Referral(Envelope envelope, String ref, String source) implements WebhookEvent {
    }

    record Optin(Envelope envelope, String ref) implements WebhookEvent {
    }

    /** Instagram: the user deleted one of their messages ({@code is_deleted}). */
    record MessageDeleted(Envelope envelope, String mid) implements WebhookEvent {
    }

    /** Instagram: a message of a kind the API does not deliver ({@code is_unsupported}). */
    record UnsupportedMessage(Envelope envelope, String mid) implements WebhookEvent {
    }

    /** Instagram: the user answered the account's story ({@code reply_to.story}). */
    record StoryReply(Envelope envelope, String mid, String text, String storyUrl) implements WebhookEvent {
    }

    /** Instagram: the user mentioned the account in their story (a {@code story_mention} attachment). */
    record StoryMention(Envelope envelope, String mid, String url) implements WebhookEvent {
    }

    /** A reaction to a message ({@code react} or {@code unreact}). */
    record Reaction(Envelope envelope, String mid, String action, String emoji) implements WebhookEvent {
    }

    /**
     * Meta warned about, or blocked, the Page's messaging ({@code policy_enforcement}: {@code action} {@code warning}
     * or {@code block}, and why). It concerns the Page, not a user: logged for the team, never a failure.
     */
    record PolicyEnforcement(Envelope envelope, String action, String reason) implements WebhookEvent {
    }

    /**
     * A message (or postback) the account sent to itself: Instagram's self messaging ({@code is_self}), or an event
     * whose sender is the account. Nobody to answer.
     */
    record SelfMessage(Envelope envelope, String mid) implements WebhookEvent {
    }

    /**
     * WhatsApp: what became of a message ({@code sent}, {@code delivered}, {@code read}, {@code failed} with Meta's
     * error code and title). Never answered; a failed message of the bot's is logged with Meta's error.
     */
    record Status(Envelope envelope, String mid, String status, int errorCode, String errorTitle)
            implements WebhookEvent {
    }

    /** An event kind this version does not know; kept so that it can be logged, never acted on. */
    record Unknown(Envelope envelope, String fields) implements WebhookEvent {
    }
}
