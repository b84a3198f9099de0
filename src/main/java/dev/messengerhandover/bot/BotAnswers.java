package dev.messengerhandover.bot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotFailure;

/**
 * The JSON of the HTTP contract's answer, {@code {"messages":[{"text","quickReplies":[{"title","payload"}]}],
 * "handover":{"reason"}|null}}, read as a tree (fields a bot adds are ignored; no reflection for the native image):
 * an HTTP bot's answer, and a message it sends later on its own.
 */
public final class BotAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BotAnswers() {
    }

    /** The answer in {@code body}; {@link BotException} ({@code MALFORMED}) when it is not the contract's shape. */
    public static BotAnswer parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BotException(BotFailure.MALFORMED, "not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BotException(BotFailure.MALFORMED, "not a JSON object");
        }
        var messages = new ArrayList<BotAnswer.Message>();
        var list = root.get("messages");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new BotException(BotFailure.MALFORMED, "\"messages\" is not an array");
            }
            for (var m : list) {
                if (!m.isObject()) {
                    throw new BotException(BotFailure.MALFORMED, "a message is not an object");
                }
                messages.add(new BotAnswer.Message(text(m, "text"), replies(m.get("quickReplies"))));
            }
        }
        var handover = root.get("handover");
        String reason = null;
        if (handover != null && !handover.isNull()) {
            if (!handover.isObject()) {
                throw new BotException(BotFailure.MALFORMED, "\"handover\" is not an object");
            }
            reason = text(handover, "reason");
            reason = reason == null || reason.isBlank() ? "bot_decided" : reason;
        }
        return new BotAnswer(messages, reason);
    }

    private static List<BotAnswer.Reply> replies(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new BotException(BotFailure.MALFORMED, "\"quickReplies\" is not an array");
        }
        var replies = new ArrayList<BotAnswer.Reply>();
        for (var r : node) {
            if (!r.isObject()) {
                throw new BotException(BotFailure.MALFORMED, "a quick reply is not an object");
            }
            replies.add(new BotAnswer.Reply(text(r, "title"), text(r, "payload")));
        }
        return replies;
    }

    private static String text(JsonNode parent, String field) {
        var v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BotException(BotFailure.MALFORMED, "\"" + field + "\" is not a string");
        }
        return v.asText();
    }
}
