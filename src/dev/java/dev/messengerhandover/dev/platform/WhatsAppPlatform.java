package dev.messengerhandover.dev.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The WhatsApp Business Platform (Cloud API) around one business phone number under WhatsApp Conversation Routing
 * (developers.facebook.com/documentation/business-messaging/whatsapp/conversation-routing/overview): one model that
 * the dev-mode emulator and the tests' Graph stand-in both run on, as {@link MessengerPlatform} is for Pages.
 *
 * <ul>
 * <li><b>Roles.</b> The bot is the primary responder for the Service entry point ({@code customer_service}); a
 * helpdesk app is the escalation partner ({@code escalation}); a standby partner may be connected too. Only the
 * Service entry point is modelled: every user message here comes through it.</li>
 * <li><b>Threads and owners.</b> Each user's thread has one owner or none (idle). A user writing to an idle thread
 * reaches the primary, which then owns it. Ownership moves on pass, take, release and idle: 24 h without a message
 * from the user (a BSP's reading, Kapso; Meta's thread lifecycle page was not readable). The customer service window
 * is the same 24 h: free-form (Service) messages only within it.</li>
 * <li><b>Webhooks.</b> The owner hears the user on {@code messages}; every other app that receives standby hears a
 * copy on {@code standby}, with echoes of the owner's messages and copies of their statuses; ownership changes by
 * pass and take are told on {@code messaging_handovers}; a release and an idle timeout are told by nothing.</li>
 * <li><b>Graph.</b> {@link #graph} answers {@code POST /{phone-number-id}/messages} (text, reply buttons,
 * templates) and {@code POST /{phone-number-id}/thread_control} (pass, release, take) as the app whose token calls,
 * with the Cloud API's answers and error JSON.</li>
 * <li><b>The helpdesk</b>, worked by people: an agent's reply takes the thread (a Service message from the escalation
 * partner is an implicit take), Done either passes the thread back to the bot or releases it without a webhook.</li>
 * </ul>
 * Pure: no I/O, the clock is passed in, callers synchronise. The {@link Event}s an action returns are what WhatsApp
 * delivers to each app's webhook. Timestamps in every payload are strings of seconds, as WhatsApp sends them.
 */
public final class WhatsAppPlatform {

    public static final String OBJECT = "whatsapp_business_account";
    public static final String MESSAGES = "messages";
    public static final String STANDBY = "standby";
    public static final String HANDOVERS = "messaging_handovers";
    /** The routing role of the primary for the Service entry point, as handovers name it. */
    public static final String CUSTOMER_SERVICE = "customer_service";
    public static final String ESCALATION = "escalation";
    /** The Meta Business Agent's role: the only {@code control_pass.target_role} Meta documents. */
    public static final String AI_AGENT = "ai_agent";
    public static final Duration SERVICE_WINDOW = Duration.ofHours(24);
    public static final Duration IDLE_AFTER = Duration.ofHours(24);
    static final int TEXT_LIMIT = 4096;
    static final int BUTTON_BODY_LIMIT = 1024;
    static final int BUTTON_LIMIT = 3;
    static final int BUTTON_TITLE_LIMIT = 20;
    static final int BUTTON_ID_LIMIT = 256;
    static final int HEADER_FOOTER_LIMIT = 60;
    static final int METADATA_LIMIT = 2000;

    /** "Re-engagement message": a free-form message more than 24 h after the user's last message. */
    public static final int REENGAGEMENT = 131047;
    /** Meta's "Parameter value is not valid": a parameter present but out of its limits. */
    public static final int PARAMETER_VALUE_INVALID = 131009;
    /** Take not permitted: only the escalation partner may take (Gupshup's error table, two open-source clients). */
    public static final int TAKE_NOT_PERMITTED = 2494191;
    /**
     * ASSUMED: the code Graph gives a Service message, pass or release from an app that does not own the thread. Meta
     * documents none (its troubleshooting row for it was not readable); Graph's "permission denied" (10, HTTP 403 in
     * the Cloud API's error table) is the plausible one. Code on this constant, not on the number.
     */
    public static final int NOT_OWNER = 10;
    /** What a handover says of an implicit take (Meta's example, as the Rust client's fixtures copy it). */
    public static final String IMPLICIT_TAKE_METADATA = "Control taken via service message";
    static final String REENGAGEMENT_DETAILS = "Message failed to send because more than 24 hours have passed since"
            + " the customer last replied to this number.";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * The business phone number: its Graph node, the number users see, its WhatsApp Business Account, the bot's token.
     */
    public record PhoneNumber(String phoneNumberId, String displayPhoneNumber, String wabaId, String accessToken) {
    }

    /**
     * The apps connected to the number, by role: the bot (primary for the Service entry point), the helpdesk
     * (escalation partner), and a standby partner ({@code null}: none).
     */
    public record Apps(String bot, String escalation, String standbyPartner) {
        List<String> all() {
            return standbyPartner == null ? List.of(bot, escalation) : List.of(bot, escalation, standbyPartner);
        }
    }

    /**
     * How a free-form message outside the customer service window ends. Meta's error-code table lists 131047 with
     * HTTP 400, so Graph may refuse it at once; BSPs and users report the Cloud API accepting it and failing it later
     * with a {@code failed} status carrying 131047. A bot must handle both.
     */
    public enum OutsideWindow {
        /** Graph answers the send with error 131047. */
        REFUSE,
        /** Graph accepts the send (a {@code wamid}), then a {@code failed} status with 131047 reaches the sender. */
        FAIL_LATER
    }

    /** The two ways the helpdesk's Done can reach the bot. */
    public enum Done {
        /** The helpdesk passes the thread back to the primary: {@code control_passed} to the bot. */
        PASS_BACK,
        /** The helpdesk releases the thread: it is idle, and no webhook says so. */
        RELEASE
    }

    /**
     * A webhook delivery WhatsApp owes {@code appId}: one change of {@code field} ({@code messages},
     * {@code standby} or {@code messaging_handovers}) with its {@code value}, in an entry of the WhatsApp Business
     * Account {@code wabaId}; {@code waId} is the user it is about.
     */
    public record Event(String appId, String field, ObjectNode value, String wabaId, String waId) {
        /** The delivery as WhatsApp posts it: {@code {"object","entry":[{"id","changes":[{"value","field"}]}]}}. */
        public ObjectNode delivery() {
            var delivery = JSON.objectNode().put("object", OBJECT);
            var entry = delivery.putArray("entry").addObject().put("id", wabaId);
            entry.putArray("changes").addObject().<ObjectNode>set("value", value).put("field", field);
            return delivery;
        }

        /**
         * What the event is, in a few words: {@code messages}, {@code statuses}, {@code standby.messages},
         * {@code standby.message_echoes}, {@code standby.statuses}, {@code control_passed}, {@code control_taken}.
         */
        public String kind() {
            return switch (field) {
                case HANDOVERS -> value.path("type").asText();
                case STANDBY -> "standby." + List.of(MESSAGES, "message_echoes", "statuses").stream()
                        .filter(value.path("standby")::has).findFirst().orElse("other");
                default -> value.has("statuses") ? "statuses" : MESSAGES;
            };
        }
    }

    /** The platform's answer to an action: HTTP status and JSON (Graph's, for Graph calls), and the webhook events. */
    public record Answer(int status, ObjectNode body, List<Event> events) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** One user's thread with the number, as WhatsApp holds it. */
    public static final class Conversation {
        final String waId;
        final String bsuid;
        final String name;
        final ArrayNode lines = JSON.arrayNode();
        String owner;
        long userWroteAt;

        Conversation(String waId, String bsuid, String name) {
            this.waId = waId;
            this.bsuid = bsuid;
            this.name = name;
        }

        /** The user's WhatsApp id: their phone number, digits only. */
        public String waId() {
            return waId;
        }

        /** The user's business-scoped user id, {@code null} when the model gives them none. */
        public String bsuid() {
            return bsuid;
        }

        public String name() {
            return name;
        }

        /** The app that owns the thread, {@code null} when idle. */
        public String owner() {
            return owner;
        }

        /** When the user last wrote (epoch millis; 0: never). */
        public long userWroteAt() {
            return userWroteAt;
        }

        /**
         * Every message and notice of the thread: {@code {at, from: user|bot|agent|system, text}}, and for a business
         * message its {@code id} (wamid), sending {@code app}, {@code status}, {@code service} (not a template) and
         * reply {@code buttons}.
         */
        public ArrayNode lines() {
            return lines;
        }
    }

    private PhoneNumber number;
    private final Apps apps;
    private final LongSupplier clock;
    private final boolean knowsEveryUser;
    private final Map<String, String> otherTokens = new HashMap<>();
    private final Set<String> standbyReceivers;
    private OutsideWindow outsideWindow = OutsideWindow.REFUSE;
    private final Map<String, Conversation> threads = new LinkedHashMap<>();
    private long nextId = 1;

    /**
     * @param number the phone number, with the bot's access token
     * @param apps who holds which role; every one of them receives standby copies until {@link #standby} says not
     * @param knowsEveryUser a stand-in that is not told about users: any recipient is a user who wrote just now
     */
    public WhatsAppPlatform(PhoneNumber number, Apps apps, LongSupplier clock, boolean knowsEveryUser) {
        this.number = number;
        this.apps = apps;
        this.clock = clock;
        this.knowsEveryUser = knowsEveryUser;
        this.standbyReceivers = new HashSet<>(apps.all());
    }

    public PhoneNumber number() {
        return number;
    }

    public String phoneNumberId() {
        return number.phoneNumberId();
    }

    public Apps apps() {
        return apps;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** The business grants or withdraws standby for an app (the Routing Roles API's {@code is_standby}). */
    public void standby(String appId, boolean receives) {
        if (receives) {
            standbyReceivers.add(appId);
        } else {
            standbyReceivers.remove(appId);
        }
    }

    /** How a free-form message outside the window ends: refused by Graph (the default) or failed by a status. */
    public void outsideWindow(OutsideWindow how) {
        this.outsideWindow = how;
    }

    /** The bot's token is rotated (or revoked): the old one is refused with 190 from now on. */
    public void token(String token) {
        number = new PhoneNumber(number.phoneNumberId(), number.displayPhoneNumber(), number.wabaId(), token);
    }

    /** Another connected app (the helpdesk) calls Graph with {@code token}: {@link #graph} acts as it. */
    public void grant(String appId, String token) {
        otherTokens.put(token, appId);
    }

    public boolean hasToken(String token) {
        return appOf(token) != null;
    }

    public List<Conversation> threads() {
        threads.values().forEach(this::expire);
        return List.copyOf(threads.values());
    }

    public Conversation thread(String waId) {
        var t = threads.get(waId);
        if (t == null && knowsEveryUser && waId != null && !waId.isEmpty()) {
            t = new Conversation(waId, null, "User " + waId);
            threads.put(waId, t);
            userWrote(waId, now()); // a user the stand-in was not told about wrote just now
        }
        if (t != null) {
            expire(t);
        }
        return t;
    }

    /** Whether this number has a thread with {@code waId}. */
    public boolean knows(String waId) {
        return threads.containsKey(waId);
    }

    /** The owner WhatsApp holds for a user ({@code null}: idle). */
    public String ownerOf(String waId) {
        var t = thread(waId);
        return t == null ? null : t.owner;
    }

    /** The routing role an app holds here, as handovers name it ({@code null}: none that owns threads). */
    public String roleOf(String appId) {
        return apps.bot().equals(appId) ? CUSTOMER_SERVICE : apps.escalation().equals(appId) ? ESCALATION : null;
    }

    /** Moves the thread without a webhook, as the platform can (an idle timeout, another tool). */
    public void setOwner(String waId, String appId) {
        thread(waId).owner = appId;
    }

    /**
     * Tells a stand-in that the user wrote at {@code at}: their window runs from then, and an idle thread went to the
     * primary, as the user's message would have.
     */
    public void userWrote(String waId, long at) {
        var t = thread(waId);
        if (t != null) {
            t.userWroteAt = Math.max(t.userWroteAt, at);
            expire(t);
            if (t.owner == null && now() - t.userWroteAt < IDLE_AFTER.toMillis()) {
                t.owner = apps.bot();
            }
        }
    }

    // --- the user ------------------------------------------------------------------------------------------------

    /** Someone writes to the number for the first time (a US phone number made up from the thread count). */
    public Conversation addUser(String name) {
        return addUser(name, Long.toString(16_505_550_000L + threads.size() + 1), null);
    }

    /** Someone with WhatsApp id {@code waId} (and business-scoped user id {@code bsuid}, or {@code null}). */
    public Conversation addUser(String name, String waId, String bsuid) {
        var t = new Conversation(waId, bsuid, name);
        threads.put(waId, t);
        return t;
    }

    /** The user sends text. */
    public Answer userSends(String waId, String text) {
        var t = thread(waId);
        if (t == null || text == null || text.isBlank()) {
            return refused(t == null ? "no such user" : "empty message");
        }
        var message = userMessage(t, "text");
        message.putObject("text").put("body", text);
        return fromUser(t, message, text);
    }

    /** The user taps reply button {@code buttonId} of the latest business message that has one. */
    public Answer userTaps(String waId, String buttonId) {
        var t = thread(waId);
        if (t == null) {
            return refused("no such user");
        }
        for (int i = t.lines.size() - 1; i >= 0; i--) {
            var line = t.lines.get(i);
            for (var button : line.path("buttons")) {
                if (button.path("id").asText().equals(buttonId)) {
                    return userTaps(waId, line.path("id").asText(), buttonId);
                }
            }
        }
        return refused("no message with button " + buttonId);
    }

    /** The user taps reply button {@code buttonId} of message {@code messageId}: a {@code button_reply}. */
    public Answer userTaps(String waId, String messageId, String buttonId) {
        var t = thread(waId);
        if (t == null) {
            return refused("no such user");
        }
        for (var line : t.lines) {
            if (!line.path("id").asText().equals(messageId)) {
                continue;
            }
            for (var button : line.path("buttons")) {
                if (button.path("id").asText().equals(buttonId)) {
                    var title = button.path("title").asText();
                    var message = JSON.objectNode();
                    // The reply names the message whose button was tapped, from the business's display number.
                    message.putObject("context").put("from", number.displayPhoneNumber()).put("id", messageId);
                    message.setAll(userMessage(t, "interactive"));
                    message.putObject("interactive").put("type", "button_reply").putObject("button_reply")
                            .put("id", buttonId).put("title", title);
                    return fromUser(t, message, title);
                }
            }
            return refused("message " + messageId + " has no button " + buttonId);
        }
        return refused("no message " + messageId);
    }

    /** The user opens the chat: every business message not read yet is, and its sender hears a {@code read} status. */
    public Answer userReads(String waId) {
        var t = thread(waId);
        if (t == null) {
            return refused("no such user");
        }
        var events = new ArrayList<Event>();
        for (var line : t.lines) {
            var status = line.path("status").asText("");
            if (status.equals("sent") || status.equals("delivered")) {
                ((ObjectNode) line).put("status", "read");
                events.addAll(statuses(t, line.path("app").asText(), line.path("id").asText(), "read",
                        line.path("service").asBoolean()));
            }
        }
        return new Answer(200, ok(), events);
    }

    private ObjectNode userMessage(Conversation t, String type) {
        var message = JSON.objectNode().put("from", t.waId);
        if (t.bsuid != null) {
            message.put("from_user_id", t.bsuid);
        }
        return message.put("id", wamid()).put("timestamp", seconds()).put("type", type);
    }

    /**
     * A user's message: it opens (or renews) the window, an idle thread goes to the primary for the entry point (the
     * Service one: the bot), the owner hears it on {@code messages}, every other standby receiver on {@code standby}.
     */
    private Answer fromUser(Conversation t, ObjectNode message, String text) {
        expire(t);
        t.userWroteAt = now();
        t.lines.add(line("user", text).put("id", message.path("id").asText()));
        if (t.owner == null) {
            t.owner = apps.bot();
        }
        var events = new ArrayList<Event>();
        for (var app : apps.all()) {
            if (app.equals(t.owner)) {
                var value = value();
                value.set("contacts", contacts(t));
                value.putArray("messages").add(message.deepCopy());
                events.add(event(app, MESSAGES, value, t));
            } else if (standbyReceivers.contains(app)) {
                var value = value();
                var standby = value.putObject("standby");
                standby.set("contacts", contacts(t));
                standby.putArray("messages").add(message.deepCopy());
                events.add(event(app, STANDBY, value, t));
            }
        }
        return new Answer(200, ok(), events);
    }

    // --- the helpdesk, worked by people ------------------------------------------------------------------------

    /**
     * An agent replies from the helpdesk. The helpdesk is the escalation partner: a Service message from it takes the
     * thread if it does not own it ({@code control_taken} to the previous owner). Outside the window Graph refuses it.
     */
    public Answer agentReplies(String waId, String text) {
        var t = thread(waId);
        if (t == null || text == null || text.isBlank()) {
            return refused(t == null ? "no such user" : "empty message");
        }
        var body = sendBody(t).put("type", "text");
        body.putObject("text").put("body", text);
        return send(apps.escalation(), t, body, t.waId);
    }

    /** An agent takes the thread explicitly: {@code thread_control} {@code take}. */
    public Answer agentTakes(String waId, String metadata) {
        var t = thread(waId);
        if (t == null) {
            return refused("no such user");
        }
        return threadControl(apps.escalation(), t, controlBody(t, "take", metadata));
    }

    /** The agent clicks Done: the thread goes back to the bot, by a pass or by a release without webhook. */
    public Answer agentDone(String waId, Done how) {
        return agentDone(waId, how, null);
    }

    /** The same, with the {@code metadata} the helpdesk sends with its pass or release. */
    public Answer agentDone(String waId, Done how, String metadata) {
        var t = thread(waId);
        if (t == null) {
            return refused("no such user");
        }
        if (!apps.escalation().equals(t.owner)) {
            return new Answer(200, ok(), List.of()); // nothing to give back: the helpdesk does not own the thread
        }
        return switch (how) {
            case PASS_BACK -> threadControl(apps.escalation(), t, controlBody(t, "pass", metadata));
            case RELEASE -> threadControl(apps.escalation(), t, controlBody(t, "release", metadata));
        };
    }

    private ObjectNode sendBody(Conversation t) {
        return JSON.objectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", t.waId);
    }

    private ObjectNode controlBody(Conversation t, String action, String metadata) {
        var body = JSON.objectNode().put("messaging_product", "whatsapp").put("to", t.waId).put("action", action);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return body;
    }

    // --- Graph, as an app calls it with its token --------------------------------------------------------------

    /**
     * One Graph call on {@code /{version}/{node}/{edge}} ({@code node}: the phone number id), checked and applied as
     * the Cloud API would, as the app whose token it carries. {@code query} is not read: the WhatsApp calls modelled
     * here carry everything in their JSON body ({@code appsecret_proof} is not checked).
     */
    public Answer graph(String method, String node, String edge, String token, JsonNode body,
            Map<String, String> query) {
        var app = appOf(token);
        if (app == null) {
            // The Cloud API's error table: 190 is HTTP 401 (Messenger's Graph answers it with 400).
            return graphError(401, 190, 0, "Invalid OAuth access token - Cannot parse access token", null);
        }
        if (!number.phoneNumberId().equals(node)) {
            return graphError(400, 100, 33, "Unsupported " + method + " request. Object with ID '" + node
                    + "' does not exist, cannot be loaded due to missing permissions, or does not support this"
                    + " operation", null);
        }
        var call = method + " " + (edge == null ? "" : edge);
        if (!call.equals("POST messages") && !call.equals("POST thread_control")) {
            return graphError(400, 100, 33, "Unsupported " + method + " request. Object with ID '" + node
                    + "' does not support this operation", null);
        }
        if (body == null || !body.isObject()) {
            return invalid("The request body must be a JSON object");
        }
        if (!"whatsapp".equals(body.path("messaging_product").asText(null))) {
            return invalid("The parameter messaging_product is required and must be whatsapp");
        }
        // The user as `to` (phone / wa_id) or `recipient` (business-scoped user id); with both, `to` is taken [?].
        var to = body.path("to").asText(null);
        var bsuid = body.path("recipient").isTextual() ? body.path("recipient").asText() : null;
        if ((to == null || to.isBlank()) && bsuid == null) {
            return invalid("The parameter to is required.");
        }
        var t = to != null && !to.isBlank() ? byWaId(to) : byBsuid(bsuid);
        if (t == null) {
            return invalid("Param recipient is not a business-scoped user id of a user of this number");
        }
        var input = to != null && !to.isBlank() ? to : bsuid;
        return call.equals("POST messages") ? send(app, t, body, input) : threadControl(app, t, body);
    }

    private Conversation byWaId(String to) {
        var waId = to.replaceAll("[^0-9]", ""); // "+1 650-555-1234" and "16505551234" are one user
        var t = thread(waId);
        if (t == null && !waId.isEmpty()) {
            // Someone who never wrote: business-initiated, outside any window until they write.
            t = addUser("User " + waId, waId, null);
        }
        return t;
    }

    private Conversation byBsuid(String bsuid) {
        for (var t : threads.values()) {
            if (bsuid.equals(t.bsuid)) {
                expire(t);
                return t;
            }
        }
        return null;
    }

    private String appOf(String token) {
        if (token == null) {
            return null;
        }
        if (constantTimeEquals(token, number.accessToken())) {
            return apps.bot();
        }
        for (var granted : otherTokens.entrySet()) {
            if (constantTimeEquals(token, granted.getKey())) {
                return granted.getValue();
            }
        }
        return null;
    }

    /** What one send carries, once checked: its text for the transcript, and its reply buttons (or none). */
    private record Content(String text, ArrayNode buttons, boolean service) {
    }

    /**
     * {@code POST /{phone-number-id}/messages}. Which violations get 100 and which 131009 is not documented per
     * parameter [?]: a missing or unknown parameter gets 100 ("Invalid parameter"), a value beyond its limit 131009
     * ("Parameter value is not valid", as the Cloud API answers a too-long button title). Both are final.
     */
    private Answer send(String app, Conversation t, JsonNode body, String input) {
        var recipientType = body.path("recipient_type").asText("individual");
        if (!recipientType.equals("individual")) {
            return invalid("Param recipient_type must be individual");
        }
        var type = body.path("type").asText("text");
        Object checked = switch (type) {
            case "text" -> text(body.path("text"));
            case "interactive" -> interactive(body.path("interactive"));
            case "template" -> template(body.path("template"));
            default -> invalid("Param type " + type + " is not one this model of the platform sends (text,"
                    + " interactive, template)");
        };
        if (checked instanceof Answer refusal) {
            return refusal;
        }
        var content = (Content) checked;
        expire(t);
        var events = new ArrayList<Event>();
        if (content.service()) {
            boolean takes = false;
            if (!app.equals(t.owner)) {
                if (app.equals(apps.escalation())) {
                    takes = true; // a Service message from the escalation partner takes the thread [Meta]
                } else if (!(t.owner == null && app.equals(apps.bot()))) {
                    return notOwner("send a Service message");
                }
            }
            if (now() - t.userWroteAt >= SERVICE_WINDOW.toMillis()) {
                if (outsideWindow == OutsideWindow.REFUSE) {
                    return graphError(400, REENGAGEMENT, 0, "(#131047) Re-engagement message", REENGAGEMENT_DETAILS);
                }
                var wamid = wamid();
                t.lines.add(line(speaker(app), content.text()).put("id", wamid).put("app", app)
                        .put("status", "failed"));
                var failed = status(t, wamid, "failed", false);
                failed.putArray("errors").addObject().put("code", REENGAGEMENT).put("title", "Re-engagement message")
                        .put("message", "Re-engagement message").<ObjectNode>set("error_data",
                                JSON.objectNode().put("details", REENGAGEMENT_DETAILS))
                        .put("href", "https://developers.facebook.com/documentation/business-messaging/whatsapp/"
                                + "support/error-codes");
                var value = value();
                value.putArray("statuses").add(failed);
                return new Answer(200, sent(t, input, wamid), List.of(event(app, MESSAGES, value, t)));
            }
            if (takes) {
                events.addAll(take(t, IMPLICIT_TAKE_METADATA, "The helpdesk took the conversation by replying"));
            } else if (t.owner == null) {
                // ASSUMED: the primary may answer a thread left idle by a release while the window is open, and
                // owns it from then, as a user's message would have given it to the primary.
                t.owner = app;
            }
        }
        // Templates: allowed outside the window and to non-owners ([lib]; Meta [?]), and move no ownership.
        var wamid = wamid();
        var line = line(speaker(app), content.text()).put("id", wamid).put("app", app).put("status", "delivered")
                .put("service", content.service());
        if (content.buttons() != null) {
            line.set("buttons", content.buttons());
        }
        t.lines.add(line);
        events.addAll(statuses(t, app, wamid, "sent", content.service()));
        events.addAll(echoes(t, app, wamid, body));
        events.addAll(statuses(t, app, wamid, "delivered", content.service()));
        return new Answer(200, sent(t, input, wamid), events);
    }

    /** The Cloud API's answer to a send: the contact as given and as WhatsApp knows it, and the new message's id. */
    private ObjectNode sent(Conversation t, String input, String wamid) {
        var answer = JSON.objectNode().put("messaging_product", "whatsapp");
        var contact = answer.putArray("contacts").addObject().put("input", input).put("wa_id", t.waId);
        if (t.bsuid != null) {
            contact.put("user_id", t.bsuid); // [?] the BSUID pages add it; wa_id is kept for users who have one
        }
        answer.putArray("messages").addObject().put("id", wamid);
        return answer;
    }

    private Object text(JsonNode text) {
        var body = text.path("body");
        if (!body.isTextual() || body.asText().isBlank()) {
            return invalid("The parameter text['body'] is required.");
        }
        if (length(body.asText()) > TEXT_LIMIT) {
            return invalidValue("Param text['body'] must be at most " + TEXT_LIMIT + " characters long.");
        }
        return new Content(body.asText(), null, true);
    }

    /** Reply buttons: body text up to 1024, one to three buttons, each with a unique id (256) and title (20). */
    private Object interactive(JsonNode interactive) {
        var kind = interactive.path("type").asText(null);
        if (kind == null) {
            return invalid("The parameter interactive['type'] is required.");
        }
        if (!kind.equals("button")) {
            return invalid("Param interactive['type'] " + kind + " is not one this model of the platform sends"
                    + " (button)");
        }
        var text = interactive.path("body").path("text");
        if (!text.isTextual() || text.asText().isBlank()) {
            return invalid("The parameter interactive['body']['text'] is required.");
        }
        if (length(text.asText()) > BUTTON_BODY_LIMIT) {
            return invalidValue("Param interactive['body']['text'] must be at most " + BUTTON_BODY_LIMIT
                    + " characters long.");
        }
        for (var part : List.of("header", "footer")) {
            if (length(interactive.path(part).path("text").asText("")) > HEADER_FOOTER_LIMIT) {
                return invalidValue("Param interactive['" + part + "']['text'] must be at most "
                        + HEADER_FOOTER_LIMIT + " characters long.");
            }
        }
        var buttons = interactive.path("action").path("buttons");
        if (!buttons.isArray()) {
            return invalid("The parameter interactive['action']['buttons'] is required.");
        }
        if (buttons.isEmpty() || buttons.size() > BUTTON_LIMIT) {
            return invalidValue("Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: "
                    + BUTTON_LIMIT);
        }
        var ids = new HashSet<String>();
        var titles = new HashSet<String>();
        var kept = JSON.arrayNode();
        for (var button : buttons) {
            var reply = button.path("reply");
            var id = reply.path("id").asText("");
            var title = reply.path("title").asText("");
            if (!"reply".equals(button.path("type").asText()) || id.isBlank() || title.isBlank()) {
                return invalid("Each button needs type reply, a reply id and a reply title.");
            }
            if (length(title) > BUTTON_TITLE_LIMIT) {
                return invalidValue("Button title length invalid. Min length: 1, Max length: " + BUTTON_TITLE_LIMIT);
            }
            if (length(id) > BUTTON_ID_LIMIT) {
                return invalidValue("Button id length invalid. Min length: 1, Max length: " + BUTTON_ID_LIMIT);
            }
            if (!ids.add(id) || !titles.add(title)) {
                return invalidValue("Button ids and titles must be unique.");
            }
            kept.addObject().put("id", id).put("title", title);
        }
        return new Content(text.asText(), kept, true);
    }

    /** A template: its name and language are checked, not its approval or components (not modelled). */
    private Object template(JsonNode template) {
        var name = template.path("name").asText("");
        if (name.isBlank() || template.path("language").path("code").asText("").isBlank()) {
            return invalid("The parameters template['name'] and template['language']['code'] are required.");
        }
        return new Content("(template " + name + ")", null, false);
    }

    /**
     * {@code POST /{phone-number-id}/thread_control}. pass and release: the caller must own the thread [BSP
     * 360dialog]; take: the escalation partner only [Meta], anyone else gets 2494191. The success body is ASSUMED:
     * Meta says it holds the messaging product and a request id, and shows no JSON.
     */
    private Answer threadControl(String app, Conversation t, JsonNode body) {
        var action = body.path("action").asText("");
        if (!Set.of("pass", "release", "take").contains(action)) {
            return invalid("Param action must be one of {pass, release, take}");
        }
        var metadata = body.path("metadata").isTextual() ? body.path("metadata").asText() : null;
        if (metadata != null && length(metadata) > METADATA_LIMIT) {
            return invalidValue("Param metadata must be at most " + METADATA_LIMIT + " characters long.");
        }
        var controlPass = body.path("control_pass");
        if (!controlPass.isMissingNode() && !action.equals("pass")) {
            return invalid("Param control_pass is only allowed with action pass");
        }
        var targetRole = controlPass.path("target_role").asText(null);
        if (targetRole != null) {
            // ai_agent is the only target Meta documents; this number has no Meta Business Agent. ASSUMED: Graph
            // refuses a pass to a role nobody holds with 100.
            return invalid(AI_AGENT.equals(targetRole) ? "No responder holds the role ai_agent on this number"
                    : "Param control_pass['target_role'] must be ai_agent");
        }
        expire(t);
        return switch (action) {
            case "take" -> {
                if (!app.equals(apps.escalation())) {
                    yield graphError(400, TAKE_NOT_PERMITTED, 0, "(#2494191) Take thread control is not permitted:"
                            + " only the escalation partner may take a thread", null);
                }
                yield new Answer(200, controlled(), app.equals(t.owner) ? List.of()
                        : take(t, metadata, metadata == null ? "The helpdesk took the conversation"
                                : "The helpdesk took the conversation: " + metadata));
            }
            case "pass" -> {
                if (!app.equals(t.owner)) {
                    yield notOwner("pass the thread");
                }
                yield new Answer(200, controlled(), pass(t, app, metadata));
            }
            default -> {
                if (!app.equals(t.owner)) {
                    yield notOwner("release the thread");
                }
                t.owner = null;
                t.lines.add(line("system", app.equals(apps.escalation())
                        ? "Marked Done: the helpdesk released the conversation (no webhook)"
                        : "The bot released the conversation (no webhook)"));
                yield new Answer(200, controlled(), List.of());
            }
        };
    }

    private static ObjectNode controlled() {
        return JSON.objectNode().put("messaging_product", "whatsapp").put("success", true);
    }

    // --- control and delivery ----------------------------------------------------------------------------------

    /**
     * A pass without target: the bot's goes to the escalation partner [BSP 360dialog, Zernio]. ASSUMED: the escalation
     * partner's goes back to the primary for the thread's entry point (the bot, {@code customer_service}), since a
     * pass names roles and the partner cannot pass to itself. The new owner hears {@code control_passed}.
     */
    private List<Event> pass(Conversation t, String from, String metadata) {
        var to = from.equals(apps.escalation()) ? apps.bot() : apps.escalation();
        t.owner = to;
        var notice = from.equals(apps.escalation())
                ? "Marked Done: the helpdesk passed the conversation back to the bot"
                : "The bot passed the conversation to the helpdesk";
        t.lines.add(line("system", metadata == null || metadata.isBlank() ? notice : notice + ": " + metadata));
        return List.of(handover(t, to, "control_passed", roleOf(from), roleOf(to), metadata));
    }

    /** The escalation partner takes the thread; the previous owner, if any, hears {@code control_taken}. */
    private List<Event> take(Conversation t, String metadata, String notice) {
        var previous = t.owner;
        t.owner = apps.escalation();
        t.lines.add(line("system", notice));
        if (previous == null || previous.equals(t.owner)) {
            return List.of();
        }
        return List.of(handover(t, previous, "control_taken", roleOf(previous), ESCALATION, metadata));
    }

    /**
     * A {@code messaging_handovers} change: the user as {@code sender.phone_number}, the number as {@code recipient},
     * roles (never app ids), the metadata of the request.
     */
    private Event handover(Conversation t, String to, String type, String previousRole, String newRole,
            String metadata) {
        var value = JSON.objectNode().put("messaging_product", "whatsapp");
        value.putObject("sender").put("phone_number", t.waId);
        value.putObject("recipient").put("phone_number_id", number.phoneNumberId())
                .put("display_phone_number", number.displayPhoneNumber());
        value.put("type", type).put("timestamp", seconds());
        var change = value.putObject(type).put("previous_owner_role", previousRole).put("new_owner_role", newRole);
        if (metadata != null) {
            change.put("metadata", metadata);
        }
        return event(to, HANDOVERS, value, t);
    }

    /** A status of a business message: to its sender on {@code messages}, copies to the other standby receivers. */
    private List<Event> statuses(Conversation t, String sender, String wamid, String status, boolean service) {
        var events = new ArrayList<Event>();
        var own = value();
        own.putArray("statuses").add(status(t, wamid, status, service));
        events.add(event(sender, MESSAGES, own, t));
        for (var app : standbyCopiesTo(t, sender)) {
            var copy = value();
            copy.putObject("standby").putArray("statuses").add(status(t, wamid, status, service));
            events.add(event(app, STANDBY, copy, t));
        }
        return events;
    }

    private ObjectNode status(Conversation t, String wamid, String status, boolean service) {
        var s = JSON.objectNode().put("id", wamid).put("status", status).put("timestamp", seconds())
                .put("recipient_id", t.waId);
        if (t.bsuid != null) {
            s.put("recipient_user_id", t.bsuid);
        }
        if (service && !status.equals("failed")) {
            // Per-message pricing: a Service message in the window is free (Meta's status reference).
            s.putObject("pricing").put("billable", false).put("pricing_model", "PMP")
                    .put("type", "free_customer_service").put("category", "service");
        }
        return s;
    }

    /** Echoes of a business message to the standby receivers: {@code message} is the body the sender posted. */
    private List<Event> echoes(Conversation t, String sender, String wamid, JsonNode body) {
        var events = new ArrayList<Event>();
        for (var app : standbyCopiesTo(t, sender)) {
            var value = value();
            value.putObject("standby").putArray("message_echoes").addObject().put("id", wamid)
                    .put("timestamp", seconds()).set("message", body.deepCopy());
            events.add(event(app, STANDBY, value, t));
        }
        return events;
    }

    /** Standby copies go to the receivers that neither sent the message nor own the thread (owners get none). */
    private List<String> standbyCopiesTo(Conversation t, String sender) {
        return apps.all().stream().filter(a -> standbyReceivers.contains(a) && !a.equals(sender)
                && !a.equals(t.owner)).toList();
    }

    /** Idle after 24 h without a message from the user [BSP Kapso]: no webhook says so. */
    private void expire(Conversation t) {
        if (t.owner != null && now() - t.userWroteAt >= IDLE_AFTER.toMillis()) {
            t.owner = null;
            t.lines.add(line("system", "Idle: " + IDLE_AFTER.toHours() + " hours without a message from the user"));
        }
    }

    private ArrayNode contacts(Conversation t) {
        var contacts = JSON.arrayNode();
        var contact = contacts.addObject();
        contact.putObject("profile").put("name", t.name);
        contact.put("wa_id", t.waId);
        if (t.bsuid != null) {
            contact.put("user_id", t.bsuid);
        }
        return contacts;
    }

    /** The start of every {@code messages} and {@code standby} value: the product and the number. */
    private ObjectNode value() {
        var value = JSON.objectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", number.displayPhoneNumber())
                .put("phone_number_id", number.phoneNumberId());
        return value;
    }

    private Event event(String app, String field, ObjectNode value, Conversation t) {
        return new Event(app, field, value, number.wabaId(), t.waId);
    }

    public String appName(String appId) {
        if (appId == null) {
            return "nobody";
        }
        return apps.bot().equals(appId) ? "the bot" : apps.escalation().equals(appId) ? "the helpdesk"
                : appId.equals(apps.standbyPartner()) ? "the standby partner" : "app " + appId;
    }

    private String speaker(String app) {
        return apps.bot().equals(app) ? "bot" : "agent";
    }

    private ObjectNode line(String from, String text) {
        return JSON.objectNode().put("at", now()).put("from", from).put("text", text);
    }

    /** A message id like WhatsApp's: {@code wamid.} and base64, unique on this number. */
    private String wamid() {
        var raw = "HBgL" + number.phoneNumberId() + "." + (nextId++);
        return "wamid." + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Now, as WhatsApp writes every timestamp: a string of seconds. */
    private String seconds() {
        return Long.toString(now() / 1000);
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static ObjectNode ok() {
        return JSON.objectNode().put("success", true);
    }

    private static Answer refused(String why) {
        return new Answer(400, JSON.objectNode().put("error", why), List.of());
    }

    private static Answer invalid(String details) {
        return graphError(400, 100, 0, "(#100) Invalid parameter", details);
    }

    private static Answer invalidValue(String details) {
        return graphError(400, PARAMETER_VALUE_INVALID, 0, "(#131009) Parameter value is not valid", details);
    }

    private static Answer notOwner(String what) {
        return graphError(403, NOT_OWNER, 0, "(#10) Application does not have permission for this action",
                "Cannot " + what + ": another responder owns this thread, or nobody does");
    }

    /**
     * The Cloud API's error JSON: {@code {"error":{"message","type","code","error_data":{"messaging_product",
     * "details"},"fbtrace_id"}}}. {@code error_subcode} only where Graph itself sets one (the Cloud API dropped it
     * from its own errors in v16.0).
     */
    public static Answer graphError(int status, int code, int subcode, String message, String details) {
        var body = JSON.objectNode();
        var error = body.putObject("error").put("message", message).put("type", "OAuthException").put("code", code);
        if (details != null) {
            error.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        }
        if (subcode != 0) {
            error.put("error_subcode", subcode);
        }
        error.put("fbtrace_id", "A" + Long.toHexString(Double.doubleToLongBits(Math.random())));
        return new Answer(status, body, List.of());
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
