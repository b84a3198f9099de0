package dev.messengerhandover.webhook;

import java.util.List;
import java.util.Map;

/**
 * One event of a webhook delivery, as Messenger defines it
 * (https://developers.facebook.com/docs/messenger-platform/webhooks). Unknown kinds become {@link Unknown} so that a
 * new platform feature never fails a delivery.
 */
public sealed interface WebhookEvent {

    Envelope envelope();

    /** The person on the other side of the thread (the PSID), or {@code null} for Page-level events. */
    default String userId() {
        return envelope().senderId();
    }

    /** Stable identity of this event across redeliveries: the message id where there is one. */
    default String eventKey() {
        var e = envelope();
        return getClass().getSimpleName() + ':' + e.channel() + ':' + e.senderId() + ':' + e.recipientId() + ':'
                + e.timestamp();
    }

    /** A message from the user, or (with {@code isEcho}) a copy of a message the Page sent. */
    record Message(Envelope envelope, String mid, String text, String quickReplyPayload, List<Attachment> attachments,
            List<NlpSignal> nlp, boolean isEcho, String appId) implements WebhookEvent {
        public Message {
            attachments = List.copyOf(attachments);
            nlp = List.copyOf(nlp);
        }

        @Override
        public String userId() {
            return isEcho ? envelope.recipientId() : envelope.senderId();
        }

        @Override
        public String eventKey() {
            return mid != null ? "mid:" + mid : WebhookEvent.super.eventKey();
        }
    }

    record Attachment(String type, String url) {
    }

    /** One signal of Messenger's built-in NLP: an intent, a trait or an entity, with its confidence. */
    record NlpSignal(String kind, String name, String value, double confidence) {
    }

    /** A tap on a button. On standby Messenger omits the payload. */
    record Postback(Envelope envelope, String mid, String title, String payload) implements WebhookEvent {
        @Override
        public String eventKey() {
            return mid != null ? "postback:" + mid : WebhookEvent.super.eventKey();
        }
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

    /** A secondary receiver asks the Primary Receiver (us) for control. */
    record RequestThreadControl(Envelope envelope, String requestedOwnerAppId, String metadata)
            implements WebhookEvent {
    }

    /** The Page's receivers changed: app id to its roles. */
    record AppRoles(Envelope envelope, Map<String, List<String>> roles) implements WebhookEvent {
        public AppRoles {
            roles = Map.copyOf(roles);
        }
    }

    record Referral(Envelope envelope, String ref, String source) implements WebhookEvent {
    }

    record Optin(Envelope envelope, String ref) implements WebhookEvent {
    }

    /** An event kind this version does not know; kept so that it can be logged, never acted on. */
    record Unknown(Envelope envelope, String fields) implements WebhookEvent {
    }
}
