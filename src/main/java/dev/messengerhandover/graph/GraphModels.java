package dev.messengerhandover.graph;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The Graph API's request and answer bodies, field for field (snake_case on the wire). */
public final class GraphModels {

    private GraphModels() {
    }

    @RegisterForReflection
    public record Recipient(String id) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QuickReply(@JsonProperty("content_type") String contentType, String title, String payload) {
        public static QuickReply text(String title, String payload) {
            return new QuickReply("text", title, payload);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record OutgoingMessage(String text, @JsonProperty("quick_replies") List<QuickReply> quickReplies) {
    }

    /**
     * Send API request; {@code messaging_type} is {@code RESPONSE} for answers to the user. {@code thread_control}
     * passes the thread with the message, where Conversation Routing is configured.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SendRequest(Recipient recipient, @JsonProperty("messaging_type") String messagingType,
            OutgoingMessage message, @JsonProperty("thread_control") ThreadControlParam threadControl) {
    }

    /** {@code {"control_type":"pass","app_id":...}}: the thread goes to {@code app_id} once the message is sent. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ThreadControlParam(@JsonProperty("control_type") String controlType,
            @JsonProperty("app_id") String appId) {
        public static ThreadControlParam pass(String appId) {
            return new ThreadControlParam("pass", appId);
        }
    }

    /** {@code {"recipient":{"id"},"sender_action":"typing_on"}}: what the user sees while the bot thinks. */
    @RegisterForReflection
    public record SenderAction(Recipient recipient, @JsonProperty("sender_action") String senderAction) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SendResponse(@JsonProperty("recipient_id") String recipientId,
            @JsonProperty("message_id") String messageId) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PassRequest(Recipient recipient, @JsonProperty("target_app_id") String targetAppId,
            String metadata) {
    }

    /** Body of take, request and release: the metadata is optional (release has none). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ControlRequest(Recipient recipient, String metadata) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SuccessResponse(boolean success) {
    }

    /**
     * {@code {"data":[{"thread_owner":{"app_id":"...","expiration":UNIX}}]}}; {@code data} is empty when the thread
     * is idle, and Graph leaves {@code app_id} out unless we are the owner or the default app.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreadOwnerResponse(List<ThreadOwnerData> data) {
        public ThreadOwner owner() {
            if (data == null || data.isEmpty() || data.get(0).threadOwner() == null) {
                return ThreadOwner.IDLE;
            }
            var owner = data.get(0).threadOwner();
            return new ThreadOwner(false, owner.appId(), owner.expiration());
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreadOwnerData(@JsonProperty("thread_owner") ThreadOwnerField threadOwner) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreadOwnerField(@JsonProperty("app_id") String appId, long expiration) {
    }

    /** Who owns a thread: idle, or an app (named only to its owner and to the default app) until {@code expiration}. */
    public record ThreadOwner(boolean idle, String appId, long expirationSeconds) {
        public static final ThreadOwner IDLE = new ThreadOwner(true, null, 0);
    }

    /** {@code GET /me?fields=messaging_feature_status}: whether Conversation Routing is configured for the Page. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FeatureStatusResponse(@JsonProperty("messaging_feature_status") FeatureStatus status, String id) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FeatureStatus(@JsonProperty("hop_v2") boolean hopV2,
            @JsonProperty("msgr_multi_app") boolean messengerMultiApp,
            @JsonProperty("ig_multi_app") boolean instagramMultiApp) {
    }

    // --- WhatsApp Cloud API ------------------------------------------------------------------------------------

    /**
     * {@code POST /{phone-number-id}/messages}: a text, or (with reply buttons) an interactive message whose body is the
     * text; {@code messaging_product} is always {@code whatsapp}.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WhatsAppMessage(@JsonProperty("messaging_product") String messagingProduct,
            @JsonProperty("recipient_type") String recipientType, String to, String recipient, String type,
            WhatsAppText text, WhatsAppInteractive interactive) {
        public static WhatsAppMessage text(String user, String body) {
            return new WhatsAppMessage("whatsapp", "individual", phone(user), bsuid(user), "text",
                    new WhatsAppText(body, false), null);
        }

        public static WhatsAppMessage buttons(String user, String body, List<QuickReply> replies) {
            var buttons = replies.stream().map(r -> new WhatsAppButton("reply", new WhatsAppReply(r.payload(),
                    r.title()))).toList();
            return new WhatsAppMessage("whatsapp", "individual", phone(user), bsuid(user), "interactive", null,
                    new WhatsAppInteractive("button", new WhatsAppBody(body), new WhatsAppAction(buttons)));
        }
    }

    /**
     * A WhatsApp user is a {@code wa_id} (a phone number: digits) or, for a user Meta names by a business-scoped user
     * id only, that id: sent as {@code to} or as {@code recipient}.
     */
    static String phone(String user) {
        return user != null && !user.isEmpty() && user.chars().allMatch(c -> c >= '0' && c <= '9') ? user : null;
    }

    static String bsuid(String user) {
        return phone(user) == null ? user : null;
    }

    @RegisterForReflection
    public record WhatsAppText(String body, @JsonProperty("preview_url") boolean previewUrl) {
    }

    @RegisterForReflection
    public record WhatsAppInteractive(String type, WhatsAppBody body, WhatsAppAction action) {
    }

    @RegisterForReflection
    public record WhatsAppBody(String text) {
    }

    @RegisterForReflection
    public record WhatsAppAction(List<WhatsAppButton> buttons) {
    }

    @RegisterForReflection
    public record WhatsAppButton(String type, WhatsAppReply reply) {
    }

    @RegisterForReflection
    public record WhatsAppReply(String id, String title) {
    }

    /** {@code {"messaging_product":"whatsapp","contacts":[...],"messages":[{"id":"wamid..."}]}}. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WhatsAppSent(List<WhatsAppSentMessage> messages) {
        public String messageId() {
            return messages == null || messages.isEmpty() ? null : messages.get(0).id();
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WhatsAppSentMessage(String id) {
    }

    /**
     * {@code POST /{phone-number-id}/thread_control}: {@code pass} (no target: to the escalation partner), {@code release}
     * or {@code take}, with the agent's context as {@code metadata} (at most 2000 characters).
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WhatsAppThreadControl(@JsonProperty("messaging_product") String messagingProduct, String to,
            String recipient, String action, String metadata) {
        public static WhatsAppThreadControl of(String user, String action, String metadata) {
            return new WhatsAppThreadControl("whatsapp", phone(user), bsuid(user), action, metadata);
        }
    }

    /** The answer's exact body is not documented: whatever it holds, a 2xx is success. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WhatsAppControlAnswer(@JsonProperty("messaging_product") String messagingProduct) {
    }
}
