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

    /** Send API request; {@code messaging_type} is {@code RESPONSE} for answers to the user. */
    @RegisterForReflection
    public record SendRequest(Recipient recipient, @JsonProperty("messaging_type") String messagingType,
            OutgoingMessage message) {
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

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreadOwnerResponse(List<ThreadOwnerData> data) {
        /** The owning app's id, or {@code null} when the thread is idle. */
        public String ownerAppId() {
            if (data == null || data.isEmpty() || data.get(0).threadOwner() == null) {
                return null;
            }
            return data.get(0).threadOwner().appId();
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreadOwnerData(@JsonProperty("thread_owner") ThreadOwner threadOwner) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThreadOwner(@JsonProperty("app_id") String appId) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SecondaryReceivers(List<Receiver> data) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Receiver(String id, String name) {
    }
}
