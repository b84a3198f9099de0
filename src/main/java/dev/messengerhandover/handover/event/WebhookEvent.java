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
            case Unknown u -> envelope().senderId();
        };
    }

    /**
     * Stable identity of this event across redeliveries, kept in the thread's item to recognise copies: the message id
     * where there is one, else kind, channel, parties and time. The prefixes are wire names, written out here rather
     * than taken from the class names, so that renaming a record never changes a key already stored (they are the
     * names earlier versions stored).
     */
    default String key() {
        return switch (this) {
            case Message m when m.mid() != null -> "mid:" + m.mid();
            case Message m -> positional("Message");
            case Postback p when p.mid() != null -> "postback:" + p.mid();
            case Postback p -> positional("Postback");
            case Read r -> positional("Read");
            case DeliveryReceipt d -> positional("DeliveryReceipt");
            case PassThreadControl p -> positional("PassThreadControl");
            case TakeThreadControl t -> positional("TakeThreadControl");
            case RequestThreadControl r -> positional("RequestThreadControl");
            case AppRoles a -> positional("AppRoles");
            case Referral r -> positional("Referral");
            case Optin o -> positional("Optin");
            case MessageDeleted d -> d.mid() != null ? "deleted:" + d.mid() : positional("MessageDeleted");
            case UnsupportedMessage u -> u.mid() != null ? "mid:" + u.mid() : positional("UnsupportedMessage");
            case StoryReply r -> r.mid() != null ? "mid:" + r.mid() : positional("StoryReply");
            case StoryMention m -> m.mid() != null ? "mid:" + m.mid() : positional("StoryMention");
            case Reaction r -> positional("Reaction");
            case Unknown u -> positional("Unknown");
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
            case Unknown u -> "unknown";
        };
    }

    private String positional(String prefix) {
        var e = envelope();
        return prefix + ':' + e.channel() + ':' + e.senderId() + ':' + e.recipientId() + ':' + e.timestamp();
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

    /** An event kind this version does not know; kept so that it can be logged, never acted on. */
    record Unknown(Envelope envelope, String fields) implements WebhookEvent {
    }
}
