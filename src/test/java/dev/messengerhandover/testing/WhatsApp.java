package dev.messengerhandover.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.platform.WhatsAppPlatform;

/**
 * Builds webhook deliveries the way WhatsApp sends them under Conversation Routing, for the test number
 * {@link Platform#WHATSAPP_NUMBER_ID}: {@code {"object":"whatsapp_business_account","entry":[{"id":WABA,
 * "changes":[{"value":{...},"field":...}]}]}} with the fields {@code messages}, {@code standby} and
 * {@code messaging_handovers}, in the shapes of {@link WhatsAppPlatform} (a test holds them together). Timestamps are
 * strings of seconds of the conversations' clock ({@link Messenger#now}). WhatsApp signs its deliveries with
 * {@code X-Hub-Signature-256} under the app secret, as Messenger does: {@link #signature}. Nothing here posts them:
 * the function does not serve WhatsApp yet.
 */
public final class WhatsApp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WhatsApp() {
    }

    /** A user's WhatsApp id: a made-up US phone number, digits only. */
    public static String newUser() {
        return Long.toString(12_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 7_000_000_000L));
    }

    /** A message id in WhatsApp's form. */
    public static String wamid() {
        return "wamid." + Base64.getEncoder().encodeToString(("HBgL" + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The conversations' clock, a second on, as WhatsApp writes it: a string of seconds. */
    public static String timestamp() {
        return Long.toString(Messenger.tick() / 1000);
    }

    // --- messages: the owner's traffic ---------------------------------------------------------------------------

    /** The user's text, as the thread's owner hears it. */
    public static ObjectNode text(String waId, String text) {
        var message = message(waId, "text");
        message.putObject("text").put("body", text);
        return userMessage(waId, message, false);
    }

    /** The user taps reply button {@code buttonId} ({@code title}) of the business message {@code contextId}. */
    public static ObjectNode buttonReply(String waId, String contextId, String buttonId, String title) {
        var message = JSON.createObjectNode();
        message.putObject("context").put("from", Platform.WHATSAPP_DISPLAY_NUMBER).put("id", contextId);
        message.setAll(message(waId, "interactive"));
        message.putObject("interactive").put("type", "button_reply").putObject("button_reply").put("id", buttonId)
                .put("title", title);
        return userMessage(waId, message, false);
    }

    /** A status of a message the bot sent: {@code sent}, {@code delivered}, {@code read}. */
    public static ObjectNode status(String waId, String wamid, String status) {
        var value = value();
        value.putArray("statuses").add(statusItem(waId, wamid, status));
        return change(WhatsAppPlatform.MESSAGES, value);
    }

    /** A message the bot sent failed with {@code code} (131047: outside the customer service window). */
    public static ObjectNode failed(String waId, String wamid, int code, String title) {
        var item = statusItem(waId, wamid, "failed");
        item.remove("pricing");
        var error = item.putArray("errors").addObject().put("code", code).put("title", title).put("message", title);
        error.putObject("error_data").put("details", title);
        error.put("href", "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/"
                + "error-codes");
        var value = value();
        value.putArray("statuses").add(item);
        return change(WhatsAppPlatform.MESSAGES, value);
    }

    // --- standby: copies of threads another app owns ------------------------------------------------------------

    /** A copy of the user's text, to an app that does not own the thread. */
    public static ObjectNode standbyMessage(String waId, String text) {
        var message = message(waId, "text");
        message.putObject("text").put("body", text);
        return userMessage(waId, message, true);
    }

    /** An echo of a text the thread's owner (the helpdesk) sent: its Send API body, under {@code message}. */
    public static ObjectNode standbyEcho(String waId, String text) {
        var sent = JSON.createObjectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", waId).put("type", "text");
        sent.putObject("text").put("body", text);
        var value = value();
        value.putObject("standby").putArray("message_echoes").addObject().put("id", wamid())
                .put("timestamp", timestamp()).set("message", sent);
        return change(WhatsAppPlatform.STANDBY, value);
    }

    /** A copy of a status of a message the thread's owner sent. */
    public static ObjectNode standbyStatus(String waId, String wamid, String status) {
        var value = value();
        value.putObject("standby").putArray("statuses").add(statusItem(waId, wamid, status));
        return change(WhatsAppPlatform.STANDBY, value);
    }

    // --- messaging_handovers -----------------------------------------------------------------------------------

    /** The thread was passed to the receiver: from {@code previousRole} to {@code newRole}. */
    public static ObjectNode controlPassed(String waId, String previousRole, String newRole, String metadata) {
        return handover(waId, "control_passed", previousRole, newRole, metadata);
    }

    /** The thread was taken from the receiver by the escalation partner. */
    public static ObjectNode controlTaken(String waId, String previousRole, String newRole, String metadata) {
        return handover(waId, "control_taken", previousRole, newRole, metadata);
    }

    /** The helpdesk passes the thread back to the bot: Done by pass back. */
    public static ObjectNode passedBack(String waId, String metadata) {
        return controlPassed(waId, WhatsAppPlatform.ESCALATION, WhatsAppPlatform.CUSTOMER_SERVICE, metadata);
    }

    private static ObjectNode handover(String waId, String type, String previousRole, String newRole,
            String metadata) {
        var value = JSON.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("sender").put("phone_number", waId);
        value.putObject("recipient").put("phone_number_id", Platform.WHATSAPP_NUMBER_ID)
                .put("display_phone_number", Platform.WHATSAPP_DISPLAY_NUMBER);
        value.put("type", type).put("timestamp", timestamp());
        var change = value.putObject(type).put("previous_owner_role", previousRole).put("new_owner_role", newRole);
        if (metadata != null) {
            change.put("metadata", metadata);
        }
        return change(WhatsAppPlatform.HANDOVERS, value);
    }

    // --- the delivery ------------------------------------------------------------------------------------------

    /** A delivery with one entry, the test number's WhatsApp Business Account, holding {@code changes}. */
    public static String delivery(ObjectNode... changes) {
        var root = JSON.createObjectNode().put("object", WhatsAppPlatform.OBJECT);
        var list = root.putArray("entry").addObject().put("id", Platform.WABA_ID).putArray("changes");
        for (var change : changes) {
            list.add(change);
        }
        return Messenger.escapeNonAscii(root.toString());
    }

    /** The {@code X-Hub-Signature-256} WhatsApp would send for this body: the app secret's, as for Pages. */
    public static String signature(String body) {
        return Messenger.signature(body);
    }

    /**
     * The shape of a JSON document: every path to a value with the value's type ({@code entry[].id:STRING}), arrays'
     * items as one. Two deliveries of one shape differ in values only.
     */
    public static SortedSet<String> shape(JsonNode node) {
        var paths = new TreeSet<String>();
        shape(node, "", paths);
        return paths;
    }

    private static void shape(JsonNode node, String path, Set<String> paths) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> shape(node.get(name), path.isEmpty() ? name
                    : path + "." + name, paths));
        } else if (node.isArray()) {
            node.forEach(item -> shape(item, path + "[]", paths));
        } else {
            paths.add(path + ":" + node.getNodeType());
        }
    }

    private static ObjectNode change(String field, ObjectNode value) {
        var change = JSON.createObjectNode();
        change.set("value", value);
        return change.put("field", field);
    }

    private static ObjectNode value() {
        var value = JSON.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", Platform.WHATSAPP_DISPLAY_NUMBER)
                .put("phone_number_id", Platform.WHATSAPP_NUMBER_ID);
        return value;
    }

    private static ObjectNode message(String waId, String type) {
        return JSON.createObjectNode().put("from", waId).put("id", wamid()).put("timestamp", timestamp())
                .put("type", type);
    }

    /** A user's message on {@code messages}, or its copy on {@code standby}, with the user's contact. */
    private static ObjectNode userMessage(String waId, ObjectNode message, boolean standby) {
        var value = value();
        var holder = standby ? value.putObject("standby") : value;
        var contact = holder.putArray("contacts").addObject();
        contact.putObject("profile").put("name", "User " + waId);
        contact.put("wa_id", waId);
        holder.putArray("messages").add(message);
        return change(standby ? WhatsAppPlatform.STANDBY : WhatsAppPlatform.MESSAGES, value);
    }

    private static ObjectNode statusItem(String waId, String wamid, String status) {
        var item = JSON.createObjectNode().put("id", wamid).put("status", status).put("timestamp", timestamp())
                .put("recipient_id", waId);
        item.putObject("pricing").put("billable", false).put("pricing_model", "PMP")
                .put("type", "free_customer_service").put("category", "service");
        return item;
    }
}
