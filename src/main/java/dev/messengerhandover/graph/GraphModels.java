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
}
