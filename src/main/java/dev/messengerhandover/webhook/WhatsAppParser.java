package dev.messengerhandover.webhook;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Envelope;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.handover.event.WebhookEvent.Attachment;
import dev.messengerhandover.handover.event.WhatsAppRoles;

/**
 * WhatsApp's deliveries ({@code "object":"whatsapp_business_account"}) into the same events as Messenger's, so that one
 * set of rules serves both. The envelope is {@code entry[].changes[]}, by {@code field}:
 * <ul>
 * <li>{@code messages}: the owner's traffic, as Messenger's {@code messaging}: a text, a tap on a reply button (its id
 * the payload, as a quick reply's), media; and {@code statuses} of the messages the bot sent;</li>
 * <li>{@code standby}: copies for an app that does not own the thread: the user's messages, the owner's messages
 * ({@code message_echoes}: an agent answering) and their statuses;</li>
 * <li>{@code messaging_handovers}: {@code control_passed} (to the new owner) and {@code control_taken} (to the
 * previous one), which name the parties by role: the roles are the parties' ids in a WhatsApp account's rules
 * ({@code customer_service}, the bot's; {@code escalation}, the helpdesk's).</li>
 * </ul>
 * The thread is the phone number's ({@code metadata.phone_number_id}) and the user's ({@code wa_id}). Timestamps are
 * strings of seconds. Anything odd becomes an {@link WebhookEvent.Unknown}, never a refused delivery
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messaging-handovers).
 */
final class WhatsAppParser {

    private static final String PRIMARY = WhatsAppRoles.PRIMARY;

    private WhatsAppParser() {
    }

    static void entry(JsonNode entry, List<WebhookEvent> out) {
        var changes = entry.get("changes");
        if (changes == null || !changes.isArray()) {
            out.add(odd(null, "a whatsapp entry without a \"changes\" array"));
            return;
        }
        for (var change : changes) {
            try {
                change(change, out);
            } catch (MalformedDeliveryException e) {
                out.add(odd(null, e.getMessage()));
            }
        }
    }

    private static void change(JsonNode change, List<WebhookEvent> out) {
        if (!change.isObject() || !change.path("value").isObject()) {
            throw new MalformedDeliveryException("a change without a \"value\" object");
        }
        var value = change.get("value");
        var number = DeliveryParser.id(value.path("metadata"), "phone_number_id");
        var field = change.path("field").asText("");
        switch (field) {
            case "messages" -> {
                messages(value.get("messages"), number, Channel.MESSAGING, out);
                statuses(value.get("statuses"), number, Channel.MESSAGING, out);
            }
            case "standby" -> {
                var standby = value.path("standby");
                messages(standby.get("messages"), number, Channel.STANDBY, out);
                echoes(standby.get("message_echoes"), number, out);
                statuses(standby.get("statuses"), number, Channel.STANDBY, out);
            }
            case "messaging_handovers" -> out.add(handover(value));
            default -> out.add(odd(number, "whatsapp field \"" + DeliveryParser.clip(field) + "\""));
        }
    }

    private static void messages(JsonNode list, String number, Channel channel, List<WebhookEvent> out) {
        for (var m : array(list, "messages")) {
            try {
                out.add(message(m, number, channel));
            } catch (MalformedDeliveryException e) {
                out.add(odd(number, e.getMessage()));
            }
        }
    }

    private static WebhookEvent message(JsonNode m, String number, Channel channel) {
        // The wa_id; a user Meta names by a business-scoped user id only has that instead (and is answered by it).
        var from = m.hasNonNull("from") ? DeliveryParser.id(m, "from") : DeliveryParser.id(m, "from_user_id");
        var envelope = new Envelope(number, channel, from, number, seconds(m));
        var mid = DeliveryParser.text(m, "id");
        var type = m.path("type").asText("");
        return switch (type) {
            case "text" -> new WebhookEvent.Message(envelope, mid, DeliveryParser.text(m.path("text"), "body"), null,
                    List.of(), List.of(), false, null);
            case "interactive" -> {
                var i = m.path("interactive");
                var reply = i.has("button_reply") ? i.path("button_reply") : i.path("list_reply");
                yield new WebhookEvent.Message(envelope, mid, DeliveryParser.text(reply, "title"),
                        DeliveryParser.text(reply, "id"), List.of(), List.of(), false, null);
            }
            // A tap on a template's quick reply button.
            case "button" -> new WebhookEvent.Message(envelope, mid, DeliveryParser.text(m.path("button"), "text"),
                    DeliveryParser.text(m.path("button"), "payload"), List.of(), List.of(), false, null);
            case "reaction" -> new WebhookEvent.Reaction(envelope, DeliveryParser.text(m.path("reaction"),
                    "message_id"), "react", DeliveryParser.text(m.path("reaction"), "emoji"));
            case "image", "audio", "video", "document", "sticker", "location", "contacts" -> new WebhookEvent.Message(
                    envelope, mid, m.path(type).isObject() ? DeliveryParser.text(m.path(type), "caption") : null,
                    null, List.of(new Attachment(type, null)), List.of(), false, null);
            default -> new WebhookEvent.Unknown(envelope, "whatsapp message type \"" + DeliveryParser.clip(type)
                    + "\"");
        };
    }

    /** The owner's messages, copied to an app on standby: an agent of the helpdesk answering (or the bot's own). */
    private static void echoes(JsonNode list, String number, List<WebhookEvent> out) {
        for (var e : array(list, "message_echoes")) {
            try {
                var message = e.path("message");
                var to = message.hasNonNull("to") ? DeliveryParser.id(message, "to")
                        : DeliveryParser.id(message, "recipient");
                var text = message.path("text").isObject() ? DeliveryParser.text(message.path("text"), "body")
                        : message.path("interactive").path("body").isObject()
                                ? DeliveryParser.text(message.path("interactive").path("body"), "text") : null;
                out.add(new WebhookEvent.Message(new Envelope(number, Channel.STANDBY, number, to, seconds(e)),
                        DeliveryParser.text(e, "id"), text, null, List.of(), List.of(), true, null));
            } catch (MalformedDeliveryException odd) {
                out.add(odd(number, odd.getMessage()));
            }
        }
    }

    private static void statuses(JsonNode list, String number, Channel channel, List<WebhookEvent> out) {
        for (var s : array(list, "statuses")) {
            try {
                var error = s.path("errors").path(0);
                out.add(new WebhookEvent.Status(new Envelope(number, channel, number, DeliveryParser.id(s,
                        "recipient_id"), seconds(s)), DeliveryParser.text(s, "id"), DeliveryParser.text(s, "status"),
                        error.isObject() ? error.path("code").asInt(0) : 0,
                        error.isObject() ? DeliveryParser.text(error, "title") : null));
            } catch (MalformedDeliveryException odd) {
                out.add(odd(number, odd.getMessage()));
            }
        }
    }

    /**
     * A change of owner, by role. {@code control_passed} reaches the new owner (here: the thread is ours, Done by a
     * pass back); {@code control_taken} reaches the one it was taken from. An older shape names no roles
     * ({@code control_passed: {metadata}}): the receiver is the new owner, the escalation partner the taker.
     */
    private static WebhookEvent handover(JsonNode value) {
        var number = DeliveryParser.id(value.path("recipient"), "phone_number_id");
        var user = DeliveryParser.id(value.path("sender"), "phone_number");
        var type = value.path("type").asText("");
        var envelope = new Envelope(number, Channel.MESSAGING, user, number, seconds(value));
        if (user == null) {
            return new WebhookEvent.Unknown(envelope, "whatsapp " + DeliveryParser.clip(type) + " without a sender");
        }
        var body = value.path(type);
        var previous = DeliveryParser.text(body, "previous_owner_role");
        var next = DeliveryParser.text(body, "new_owner_role");
        var metadata = DeliveryParser.text(body, "metadata");
        return switch (type) {
            case "control_passed" -> new WebhookEvent.PassThreadControl(envelope, next != null ? next : PRIMARY,
                    previous, metadata);
            case "control_taken" -> new WebhookEvent.TakeThreadControl(envelope, previous != null ? previous
                    : PRIMARY, next != null ? next : WhatsAppRoles.ESCALATION, metadata);
            default -> new WebhookEvent.Unknown(envelope, "whatsapp handover \"" + DeliveryParser.clip(type) + "\"");
        };
    }

    /** WhatsApp's time: a string (or a number) of seconds; 0 when missing, which the rules take as the arrival. */
    private static long seconds(JsonNode node) {
        var t = node.get("timestamp");
        if (t == null || t.isNull()) {
            return 0;
        }
        try {
            return Long.parseLong(t.asText().strip()) * 1000;
        } catch (NumberFormatException e) {
            throw new MalformedDeliveryException("\"timestamp\" must be seconds");
        }
    }

    private static List<JsonNode> array(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedDeliveryException("\"" + field + "\" is not an array");
        }
        var items = new ArrayList<JsonNode>();
        node.forEach(items::add);
        return items;
    }

    private static WebhookEvent odd(String number, String why) {
        return new WebhookEvent.Unknown(new Envelope(number, Channel.MESSAGING, null, null, 0), "malformed: " + why);
    }
}
