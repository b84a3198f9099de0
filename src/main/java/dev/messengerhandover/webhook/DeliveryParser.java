package dev.messengerhandover.webhook;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Delivery;
import dev.messengerhandover.handover.event.Envelope;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.handover.event.WebhookEvent.Attachment;
import dev.messengerhandover.handover.event.WebhookEvent.NlpSignal;

/**
 * Reads a webhook body into a {@link Delivery}. It walks the JSON tree by hand rather than binding classes: ids come as
 * strings or numbers, fields appear and disappear between API versions, and an event kind we do not know must be kept
 * as {@link WebhookEvent.Unknown} rather than fail the whole batch. No reflection also means nothing to register for
 * the native image.
 *
 * <p>Only a body that is not a delivery at all (not JSON, not an object, no {@code object} or {@code entry} array) is
 * refused: Meta retries a refused delivery and in the end drops every event in it. An odd entry or event in a real
 * delivery (one without a sender, as Meta sends {@code policy_enforcement} notices and plugin opt-ins, or one with a
 * field of the wrong shape) becomes an {@link WebhookEvent.Unknown} that says what was wrong, and the rest is handled.
 */
public final class DeliveryParser {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            // A body with a key twice is not something Messenger sends: refuse it rather than guess which one counts.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

    /**
     * Page, user and app ids are numbers of about 16 digits and message ids about 100 characters. They become the
     * thread's DynamoDB key (at most 2048 bytes) and the remembered event keys: longer ones are not Messenger's.
     */
    static final int MAX_ID_CHARS = 128;
    static final int MAX_MID_CHARS = 1024;

    private DeliveryParser() {
    }

    public static Delivery parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedDeliveryException("empty body");
        }
        JsonNode root;
        try (JsonParser parser = JSON.createParser(body)) {
            root = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new MalformedDeliveryException("trailing data after the JSON document");
            }
        } catch (IOException e) {
            throw new MalformedDeliveryException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedDeliveryException("body must be a JSON object");
        }
        String object = text(root, "object");
        if (object == null) {
            throw new MalformedDeliveryException("missing \"object\"");
        }
        var entries = root.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new MalformedDeliveryException("missing \"entry\" array");
        }
        var events = new ArrayList<WebhookEvent>();
        for (JsonNode entry : entries) {
            if (Delivery.WHATSAPP.equals(object)) {
                if (entry.isObject()) {
                    WhatsAppParser.entry(entry, events);
                } else {
                    events.add(malformed(new Envelope(null, Channel.MESSAGING, null, null, 0),
                            new MalformedDeliveryException("an entry that is not an object")));
                }
                continue;
            }
            String pageId;
            try {
                if (!entry.isObject()) {
                    throw new MalformedDeliveryException("an entry that is not an object");
                }
                // Every thread is keyed by its account: an entry without one cannot be applied (Meta always sends it).
                pageId = id(entry, "id");
                if (pageId == null) {
                    throw new MalformedDeliveryException("an entry without \"id\"");
                }
            } catch (MalformedDeliveryException odd) {
                events.add(malformed(new Envelope(null, Channel.MESSAGING, null, null, 0), odd));
                continue;
            }
            readChannel(entry, "messaging", Channel.MESSAGING, pageId, events);
            readChannel(entry, "standby", Channel.STANDBY, pageId, events);
        }
        return new Delivery(object, events);
    }

    private static void readChannel(JsonNode entry, String field, Channel channel, String pageId,
            List<WebhookEvent> out) {
        var array = entry.get(field);
        if (array == null || array.isNull()) {
            return;
        }
        var nowhere = new Envelope(pageId, channel, null, null, 0);
        if (!array.isArray()) {
            out.add(malformed(nowhere, new MalformedDeliveryException("\"" + field + "\" is not an array")));
            return;
        }
        for (JsonNode node : array) {
            if (!node.isObject()) {
                out.add(malformed(nowhere, new MalformedDeliveryException("a " + field + " event that is not an object")));
                continue;
            }
            try {
                out.add(event(node, channel, pageId));
            } catch (MalformedDeliveryException odd) {
                out.add(malformed(nowhere, odd));
            }
        }
    }

    /** An event, or an entry, that is not what Meta sends: kept to be logged, never acted on. */
    private static WebhookEvent malformed(Envelope envelope, MalformedDeliveryException why) {
        return new WebhookEvent.Unknown(envelope, "malformed: " + why.getMessage());
    }

    static WebhookEvent event(JsonNode node, Channel channel, String pageId) {
        var envelope = new Envelope(pageId, channel, id(node.get("sender"), "id"), id(node.get("recipient"), "id"),
                number(node, "timestamp"));
        if (node.has("app_roles")) {
            return new WebhookEvent.AppRoles(envelope, roles(node.get("app_roles")));
        }
        if (node.hasNonNull("policy_enforcement")) {
            // A warning or block of the Page by Meta: no sender, only the recipient (the Page).
            var p = object(node, "policy_enforcement");
            return new WebhookEvent.PolicyEnforcement(envelope, text(p, "action"), text(p, "reason"));
        }
        if (node.hasNonNull("message")) {
            var m = object(node, "message");
            // Instagram's self messaging: the account writing to itself is nobody to answer.
            if (m.path("is_self").asBoolean(false)
                    || !m.path("is_echo").asBoolean(false) && pageId.equals(envelope.senderId())) {
                return new WebhookEvent.SelfMessage(envelope, mid(m));
            }
            return message(envelope, m);
        }
        if (node.hasNonNull("postback")) {
            var p = object(node, "postback");
            if (p.path("is_self").asBoolean(false) || pageId.equals(envelope.senderId())) {
                return new WebhookEvent.SelfMessage(envelope, mid(p));
            }
            return new WebhookEvent.Postback(envelope, mid(p), text(p, "title"), text(p, "payload"));
        }
        if (node.hasNonNull("pass_thread_control")) {
            var p = object(node, "pass_thread_control");
            return new WebhookEvent.PassThreadControl(envelope, id(p, "new_owner_app_id"),
                    id(p, "previous_owner_app_id"), text(p, "metadata"));
        }
        if (node.hasNonNull("take_thread_control")) {
            var p = object(node, "take_thread_control");
            return new WebhookEvent.TakeThreadControl(envelope, id(p, "previous_owner_app_id"),
                    id(p, "new_owner_app_id"), text(p, "metadata"));
        }
        if (node.hasNonNull("request_thread_control")) {
            var p = object(node, "request_thread_control");
            return new WebhookEvent.RequestThreadControl(envelope, id(p, "requested_owner_app_id"),
                    text(p, "metadata"));
        }
        if (node.hasNonNull("reaction")) {
            var r = object(node, "reaction");
            return new WebhookEvent.Reaction(envelope, mid(r), text(r, "action"), text(r, "emoji"));
        }
        if (node.hasNonNull("read")) {
            return new WebhookEvent.Read(envelope, number(object(node, "read"), "watermark"));
        }
        if (node.hasNonNull("delivery")) {
            var d = object(node, "delivery");
            return new WebhookEvent.DeliveryReceipt(envelope, strings(d.get("mids")), number(d, "watermark"));
        }
        if (node.hasNonNull("referral")) {
            var r = object(node, "referral");
            return new WebhookEvent.Referral(envelope, text(r, "ref"), text(r, "source"));
        }
        if (node.hasNonNull("optin")) {
            // A checkbox plugin's opt-in names the person by user_ref only, and comes without a sender.
            var o = object(node, "optin");
            return new WebhookEvent.Optin(envelope, text(o, "ref"));
        }
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return new WebhookEvent.Unknown(envelope, String.join(",", names));
    }

    /**
     * A message, or one of Instagram's message-shaped events: a deleted or unsupported message, a reply to the
     * account's story, a mention in the user's story. The bot answers none of these.
     */
    private static WebhookEvent message(Envelope envelope, JsonNode m) {
        var mid = mid(m);
        if (m.path("is_deleted").asBoolean(false)) {
            return new WebhookEvent.MessageDeleted(envelope, mid);
        }
        if (m.path("is_unsupported").asBoolean(false)) {
            return new WebhookEvent.UnsupportedMessage(envelope, mid);
        }
        var quickReply = m.get("quick_reply");
        var attachments = new ArrayList<Attachment>();
        var rawAttachments = m.get("attachments");
        if (rawAttachments != null && rawAttachments.isArray()) {
            for (JsonNode a : rawAttachments) {
                if (!a.isObject()) {
                    throw new MalformedDeliveryException("each attachment must be an object");
                }
                var payload = a.get("payload");
                attachments.add(new Attachment(text(a, "type"), payload == null || !payload.isObject() ? null
                        : text(payload, "url")));
            }
        }
        var story = m.path("reply_to").get("story");
        if (story != null && story.isObject()) {
            return new WebhookEvent.StoryReply(envelope, mid, text(m, "text"), text(story, "url"));
        }
        var mention = attachments.stream().filter(a -> "story_mention".equals(a.type())).findFirst();
        if (mention.isPresent()) {
            return new WebhookEvent.StoryMention(envelope, mid, mention.get().url());
        }
        return new WebhookEvent.Message(envelope, mid, text(m, "text"),
                quickReply == null ? null : text(quickReply, "payload"), attachments, nlp(m.get("nlp")),
                m.path("is_echo").asBoolean(false), id(m, "app_id"));
    }

    /**
     * Messenger's built-in NLP reports {@code intents} (a list), {@code traits} and {@code entities} (maps of name to a
     * list of values); older Pages get the pre-Wit shape where {@code entities} holds traits too. One flat list of
     * signals serves every shape.
     */
    private static List<NlpSignal> nlp(JsonNode nlp) {
        if (nlp == null || !nlp.isObject()) {
            return List.of();
        }
        var signals = new ArrayList<NlpSignal>();
        var intents = nlp.get("intents");
        if (intents != null && intents.isArray()) {
            for (JsonNode i : intents) {
                signals.add(new NlpSignal("intent", text(i, "name"), text(i, "value"), confidence(i)));
            }
        }
        for (String kind : List.of("traits", "entities")) {
            var map = nlp.get(kind);
            if (map == null || !map.isObject()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (!field.getValue().isArray()) {
                    continue;
                }
                for (JsonNode v : field.getValue()) {
                    signals.add(new NlpSignal(kind.substring(0, kind.length() - 1), field.getKey(), text(v, "value"),
                            confidence(v)));
                }
            }
        }
        return signals;
    }

    private static double confidence(JsonNode node) {
        var c = node.get("confidence");
        return c != null && c.isNumber() ? c.asDouble() : 0.0;
    }

    private static Map<String, List<String>> roles(JsonNode node) {
        var roles = new LinkedHashMap<String, List<String>>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(f -> roles.put(f.getKey(), strings(f.getValue())));
        }
        return roles;
    }

    private static JsonNode object(JsonNode parent, String field) {
        var node = parent.get(field);
        if (!node.isObject()) {
            throw new MalformedDeliveryException("\"" + field + "\" must be an object");
        }
        return node;
    }

    /** Ids are strings in current payloads and numbers in older ones (and in {@code app_id}); accept both. */
    static String id(JsonNode parent, String field) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        var node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String id;
        if (node.isTextual()) {
            id = node.asText();
        } else if (node.isIntegralNumber()) {
            id = node.bigIntegerValue().toString();
        } else {
            throw new MalformedDeliveryException("\"" + field + "\" must be a string or a number");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new MalformedDeliveryException("\"" + field + "\" is too long for an id");
        }
        return id.isEmpty() ? null : id;
    }

    /** At most 40 characters of something odd, for a log line. */
    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String mid(JsonNode parent) {
        var mid = text(parent, "mid");
        if (mid != null && mid.length() > MAX_MID_CHARS) {
            throw new MalformedDeliveryException("\"mid\" is too long for a message id");
        }
        return mid;
    }

    static String text(JsonNode parent, String field) {
        var node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw new MalformedDeliveryException("\"" + field + "\" must be a string");
    }

    private static long number(JsonNode parent, String field) {
        var node = parent.get(field);
        if (node == null || node.isNull()) {
            return 0L;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText());
            } catch (NumberFormatException e) {
                throw new MalformedDeliveryException("\"" + field + "\" must be a number");
            }
        }
        throw new MalformedDeliveryException("\"" + field + "\" must be a number");
    }

    private static List<String> strings(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        var out = new ArrayList<String>();
        for (JsonNode n : node) {
            if (n.isValueNode() && !n.isNull()) {
                out.add(n.asText());
            }
        }
        return out;
    }

}
