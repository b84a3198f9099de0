package dev.messengerhandover.dev.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Messenger Platform around one Page, as the handover protocol documents it, for trying the function offline: who
 * owns each thread, which app hears a user on {@code messaging} and which on {@code standby}, what Graph accepts from
 * the Primary Receiver and what it refuses, and the Page Inbox (a Secondary Receiver) with its Inbox and Done folders.
 *
 * <p>Pure and single-Page: no I/O, the clock is passed in. The caller sends the {@link Delivery deliveries} it returns
 * to the Primary Receiver's webhook; the Page Inbox's own deliveries are applied here, as its folders and notification.
 */
public final class EmulatedPage {

    public static final String MESSAGING = "messaging";
    public static final String STANDBY = "standby";

    /** A webhook delivery owed to the Primary Receiver: one event on one channel, with its timeline entry. */
    public record Delivery(String channel, ObjectNode event, long timelineId) {
        /** The body as Messenger posts it: {@code {"object":"page","entry":[{"id":PAGE,"time":..,CHANNEL:[event]}]}}. */
        public ObjectNode body(String pageId) {
            var body = JSON.objectNode().put("object", "page");
            var entry = body.putArray("entry").addObject().put("id", pageId).put("time", event.path("timestamp").asLong());
            entry.putArray(channel).add(event);
            return body;
        }
    }

    /** What the platform answers an action (HTTP status and Graph's JSON), and the deliveries the action causes. */
    public record Outcome(int status, ObjectNode body, List<Delivery> deliveries) {
        public boolean ok() {
            return status == 200;
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int TIMELINE_LIMIT = 300;
    private static final int TEXT_LIMIT = 2000;
    private static final int QUICK_REPLY_TITLE_LIMIT = 20;
    private static final int QUICK_REPLY_LIMIT = 13;
    private static final int METADATA_LIMIT = 1000;

    private final String pageId;
    private final String pageToken;
    private final String primaryAppId;
    private final String inboxAppId;
    private final Duration idleAfter;
    private final LongSupplier clock;

    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private final Deque<ObjectNode> timeline = new ArrayDeque<>();
    private long nextId = 1;
    private long version;

    public EmulatedPage(String pageId, String pageToken, String primaryAppId, String inboxAppId, Duration idleAfter,
            LongSupplier clock) {
        this.pageId = pageId;
        this.pageToken = pageToken;
        this.primaryAppId = primaryAppId;
        this.inboxAppId = inboxAppId;
        this.idleAfter = idleAfter;
        this.clock = clock;
    }

    public String pageId() {
        return pageId;
    }

    /** Grows with every change; the page uses it to know when to fetch the state again. */
    public synchronized long version() {
        return version;
    }

    // --- the Messenger user --------------------------------------------------------------------------------------

    /** A person who opens the Page's chat. The Primary Receiver owns a new thread, as the protocol's default. */
    public synchronized String addUser(String name) {
        var psid = Long.toString(7_000_000_000_000_000L + conversations.size() + 1);
        conversations.put(psid, new Conversation(psid, name, primaryAppId, now()));
        changed();
        return psid;
    }

    /** The user types text, or taps a quick reply ({@code quickReplyPayload} set). */
    public synchronized Outcome userSends(String psid, String text, String quickReplyPayload) {
        var c = conversations.get(psid);
        if (c == null || text == null || text.isBlank()) {
            return refused(c == null ? "no such user" : "empty message");
        }
        var message = JSON.objectNode().put("mid", mid()).put("text", text);
        if (quickReplyPayload != null) {
            message.putObject("quick_reply").put("payload", quickReplyPayload);
        }
        c.add(line("user", text));
        return userEvent(c, "message", message, quickReplyPayload != null ? "quick reply " + text : "message " + text);
    }

    /** The user taps a postback button of a button template. On standby the payload is not delivered. */
    public synchronized Outcome userTaps(String psid, String title, String payload) {
        var c = conversations.get(psid);
        if (c == null || title == null || payload == null) {
            return refused(c == null ? "no such user" : "title and payload are required");
        }
        c.add(line("user", title));
        var postback = JSON.objectNode().put("mid", mid()).put("title", title).put("payload", payload);
        return userEvent(c, "postback", postback, "postback " + title);
    }

    private Outcome userEvent(Conversation c, String field, ObjectNode content, String what) {
        touch(c);
        if (inboxAppId.equals(c.owner)) {
            c.notified = true; // unread in the Inbox until an agent opens it
        }
        var primaryChannel = channelOf(c, primaryAppId);
        if (STANDBY.equals(primaryChannel) && "postback".equals(field)) {
            content.remove("payload");
        }
        note("inbox", "to Page Inbox on " + channelOf(c, inboxAppId) + ": " + what, null, 0);
        var event = event(c.psid, pageId).set(field, content);
        return new Outcome(200, ok(), List.of(deliver(primaryChannel, (ObjectNode) event, what)));
    }

    // --- the Page Inbox, a Secondary Receiver worked by people ----------------------------------------------------

    /** The agent opens a conversation: its notification is read. */
    public synchronized void agentOpens(String psid) {
        var c = conversations.get(psid);
        if (c != null && c.notified) {
            c.notified = false;
            changed();
        }
    }

    /** The agent replies. Only the owner may send, so the Inbox must hold the thread (Messenger refuses otherwise). */
    public synchronized Outcome agentReplies(String psid, String text) {
        var c = conversations.get(psid);
        if (c == null || text == null || text.isBlank()) {
            return refused(c == null ? "no such user" : "empty message");
        }
        expireIfIdle(c);
        if (!inboxAppId.equals(c.owner) && c.owner != null) {
            return graphError(10, 2018300, "(#10) This app cannot send while another app controls the thread");
        }
        touch(c);
        c.notified = false;
        var mid = mid();
        c.add(line("agent", text).put("mid", mid));
        var echo = JSON.objectNode().put("is_echo", true).put("app_id", inboxAppId).put("mid", mid).put("text", text);
        var event = (ObjectNode) event(pageId, c.psid).set("message", echo);
        return new Outcome(200, ok(), List.of(deliver(channelOf(c, primaryAppId), event, "echo of the agent's reply")));
    }

    /** The agent clicks Done: the Page Inbox passes the thread back to the Primary Receiver. */
    public synchronized Outcome agentDone(String psid) {
        var c = conversations.get(psid);
        if (c == null) {
            return refused("no such user");
        }
        expireIfIdle(c);
        if (!inboxAppId.equals(c.owner)) {
            c.folder = Folder.DONE;
            c.notified = false;
            changed();
            return new Outcome(200, ok(), List.of()); // nothing to pass: the Inbox does not hold the thread
        }
        return pass(c, inboxAppId, primaryAppId, null);
    }

    /**
     * A Page admin moves a conversation to Inbox by hand: the Page Inbox asks the Primary Receiver for the thread with
     * {@code request_thread_control}; the Primary Receiver decides whether to pass it.
     */
    public synchronized Outcome moveToInbox(String psid) {
        var c = conversations.get(psid);
        if (c == null) {
            return refused("no such user");
        }
        expireIfIdle(c);
        c.folder = Folder.INBOX;
        if (inboxAppId.equals(c.owner)) {
            changed();
            return new Outcome(200, ok(), List.of());
        }
        touch(c);
        c.add(line("system", "Moved to Inbox: the Page Inbox asked the bot for the conversation"));
        var request = JSON.objectNode().put("requested_owner_app_id", inboxAppId).put("metadata", "Moved to Inbox");
        var event = (ObjectNode) event(c.psid, pageId).set("request_thread_control", request);
        return new Outcome(200, ok(), List.of(deliver(MESSAGING, event, "request_thread_control from the Page Inbox")));
    }

    // --- Graph API, as the Primary Receiver calls it ----------------------------------------------------------------

    /**
     * One Graph call by the Primary Receiver on {@code /{version}/me/{endpoint}}: checked as Graph checks it, applied,
     * recorded on the timeline. {@code recipientQuery} is the {@code recipient} query parameter of {@code thread_owner}.
     */
    public synchronized Outcome graph(String method, String endpoint, String token, JsonNode body,
            String recipientQuery) {
        // Noted before it is applied, so the timeline shows the call before the deliveries it causes.
        var detail = JSON.objectNode();
        detail.set("request", body);
        var entry = note("graph", method + " " + endpoint, detail, 0);
        var outcome = answer(method, endpoint, token, body, recipientQuery);
        entry.put("status", outcome.status()).set("detail", detail.set("response", outcome.body()));
        changed();
        return outcome;
    }

    private Outcome answer(String method, String endpoint, String token, JsonNode body, String recipientQuery) {
        if (token == null || !constantTimeEquals(token, pageToken)) {
            return graphError(190, 0, "Invalid OAuth access token - Cannot parse access token");
        }
        var call = method + " " + endpoint;
        if (call.equals("GET secondary_receivers")) {
            var data = JSON.objectNode();
            data.putArray("data").addObject().put("id", inboxAppId).put("name", "Page Inbox");
            return new Outcome(200, data, List.of());
        }
        var psid = "GET thread_owner".equals(call) ? recipientQuery
                : body == null ? null : body.path("recipient").path("id").asText(null);
        if (!call.equals("POST messages") && !call.equals("POST pass_thread_control")
                && !call.equals("POST take_thread_control") && !call.equals("POST release_thread_control")
                && !call.equals("POST request_thread_control") && !call.equals("GET thread_owner")) {
            return graphError(100, 33, "Unsupported " + method + " request. Object with ID 'me' does not support this"
                    + " operation");
        }
        if (psid == null || psid.isEmpty()) {
            return graphError(100, 0, "(#100) The parameter recipient is required");
        }
        var c = conversations.get(psid);
        if (c == null) {
            return graphError(100, 2018001, "(#100) No matching user found");
        }
        expireIfIdle(c);
        switch (call) {
            case "GET thread_owner": {
                var data = JSON.objectNode();
                var array = data.putArray("data");
                if (c.owner != null) {
                    array.addObject().putObject("thread_owner").put("app_id", c.owner);
                }
                return new Outcome(200, data, List.of());
            }
            case "POST messages":
                return send(c, body);
            case "POST pass_thread_control": {
                var target = body.path("target_app_id").asText("");
                if (!inboxAppId.equals(target) && !primaryAppId.equals(target)) {
                    return graphError(100, 0, "(#100) Param target_app_id must be an app connected to the Page");
                }
                if (c.owner != null && !primaryAppId.equals(c.owner)) {
                    return graphError(10, 2018300,
                            "(#10) Cannot pass thread control: the app is not the thread owner");
                }
                var metadata = body.path("metadata").asText(null);
                if (metadata != null && metadata.length() > METADATA_LIMIT) {
                    return graphError(100, 0, "(#100) Param metadata must be at most 1000 characters");
                }
                return pass(c, primaryAppId, target, metadata);
            }
            case "POST take_thread_control": {
                var previous = c.owner;
                c.owner = primaryAppId;
                c.folder = Folder.DONE;
                c.notified = false;
                touch(c);
                if (previous != null && !previous.equals(primaryAppId)) {
                    c.add(line("system", "The bot took the conversation back from the Page Inbox"));
                    note("inbox", "to Page Inbox on " + MESSAGING + ": take_thread_control (the bot took the thread)",
                            null, 0);
                }
                return new Outcome(200, ok(), List.of());
            }
            case "POST release_thread_control": {
                if (c.owner != null && !primaryAppId.equals(c.owner)) {
                    return graphError(10, 2018300,
                            "(#10) Cannot release thread control: the app is not the thread owner");
                }
                c.owner = null;
                touch(c);
                return new Outcome(200, ok(), List.of());
            }
            default: // POST request_thread_control
                return graphError(10, 0, "(#10) The Primary Receiver cannot request thread control");
        }
    }

    private Outcome send(Conversation c, JsonNode body) {
        var type = body.path("messaging_type").asText("RESPONSE");
        if (!List.of("RESPONSE", "UPDATE", "MESSAGE_TAG").contains(type)) {
            return graphError(100, 0, "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}");
        }
        var message = body.path("message");
        var text = message.path("text").asText(null);
        var attachment = message.path("attachment");
        if (text == null && attachment.isMissingNode()) {
            return graphError(100, 0, "(#100) Must send either message or sender action");
        }
        if (text != null && text.length() > TEXT_LIMIT) {
            return graphError(100, 0, "(#100) Length of param message[text] must be less than or equal to 2000");
        }
        var quickReplies = message.path("quick_replies");
        if (quickReplies.size() > QUICK_REPLY_LIMIT) {
            return graphError(100, 0, "(#100) param message[quick_replies] must have at most 13 elements");
        }
        for (var q : quickReplies) {
            if (q.path("title").asText("").length() > QUICK_REPLY_TITLE_LIMIT) {
                return graphError(100, 0, "(#100) Title of a quick reply must be at most 20 characters");
            }
        }
        if (c.owner != null && !primaryAppId.equals(c.owner)) {
            return graphError(10, 2018300, "(#10) This app cannot send while another app controls the thread");
        }
        touch(c);
        var mid = mid();
        var line = line("bot", text != null ? text : attachment.path("payload").path("text").asText("(attachment)"))
                .put("mid", mid);
        var replies = line.putArray("quickReplies");
        quickReplies.forEach(q -> replies.addObject().put("title", q.path("title").asText())
                .put("payload", q.path("payload").asText()));
        var buttons = line.putArray("buttons");
        attachment.path("payload").path("buttons").forEach(b -> {
            if ("postback".equals(b.path("type").asText())) {
                buttons.addObject().put("title", b.path("title").asText()).put("payload", b.path("payload").asText());
            }
        });
        c.add(line);
        var echo = message.deepCopy();
        ((ObjectNode) echo).put("is_echo", true).put("app_id", primaryAppId).put("mid", mid);
        var event = (ObjectNode) event(pageId, c.psid).set("message", echo);
        var answer = JSON.objectNode().put("recipient_id", c.psid).put("message_id", mid);
        return new Outcome(200, answer, List.of(deliver(channelOf(c, primaryAppId), event, "echo of the bot's message")));
    }

    /** Control moves from {@code from} to {@code to}; the new owner hears {@code pass_thread_control}. */
    private Outcome pass(Conversation c, String from, String to, String metadata) {
        var previous = c.owner;
        c.owner = to;
        touch(c);
        var pass = JSON.objectNode().put("new_owner_app_id", to);
        if (previous != null) {
            pass.put("previous_owner_app_id", previous);
        }
        if (metadata != null) {
            pass.put("metadata", metadata);
        }
        var event = (ObjectNode) event(c.psid, pageId).set("pass_thread_control", pass);
        if (inboxAppId.equals(to)) {
            c.folder = Folder.INBOX;
            c.notified = true;
            c.add(line("system", metadata == null || metadata.isBlank() ? "The bot passed the conversation to the Inbox"
                    : "The bot passed the conversation to the Inbox: " + metadata));
            note("inbox", "to Page Inbox on " + MESSAGING + ": pass_thread_control (new conversation needs a person)",
                    event, 0);
            return new Outcome(200, ok(), List.of());
        }
        c.folder = Folder.DONE;
        c.notified = false;
        c.add(line("system", inboxAppId.equals(from) ? "Marked Done: the Page Inbox passed the conversation back to the bot"
                : "Control passed to app " + to));
        if (primaryAppId.equals(to)) {
            return new Outcome(200, ok(), List.of(deliver(MESSAGING, event, "pass_thread_control to the bot")));
        }
        return new Outcome(200, ok(), List.of());
    }

    // --- routing -----------------------------------------------------------------------------------------------------

    /** The owner (or, while the thread is idle, every app) hears the user on {@code messaging}; the others on standby. */
    String channelOf(Conversation c, String appId) {
        expireIfIdle(c);
        return c.owner == null || c.owner.equals(appId) ? MESSAGING : STANDBY;
    }

    /** The new handover protocol: a thread without activity for the idle period has no owner any more. */
    private void expireIfIdle(Conversation c) {
        if (c.owner != null && now() - c.lastActivity >= idleAfter.toMillis()) {
            c.owner = null;
            c.add(line("system", "Idle: no app controls the conversation after " + idleAfter.toString().substring(2).toLowerCase()
                    + " without activity"));
        }
    }

    private void touch(Conversation c) {
        c.lastActivity = now();
        changed();
    }

    // --- views -------------------------------------------------------------------------------------------------------

    /** Everything the page shows, as JSON: conversations with their folder, owner and history, and the timeline. */
    public synchronized ObjectNode snapshot() {
        var s = JSON.objectNode().put("version", version).put("pageId", pageId).put("primaryAppId", primaryAppId)
                .put("inboxAppId", inboxAppId).put("idleAfterSeconds", idleAfter.toSeconds());
        var list = s.putArray("conversations");
        for (var c : conversations.values()) {
            expireIfIdle(c);
            var o = list.addObject().put("psid", c.psid).put("name", c.name).put("owner", c.owner)
                    .put("role", c.owner == null ? "idle" : c.owner.equals(primaryAppId) ? "bot"
                            : c.owner.equals(inboxAppId) ? "inbox" : "other")
                    .put("folder", c.folder == Folder.INBOX ? "inbox" : "done").put("notified", c.notified)
                    .put("lastActivity", c.lastActivity);
            o.set("messages", c.lines.deepCopy());
        }
        var events = s.putArray("timeline");
        timeline.forEach(events::add);
        return s;
    }

    /** The owner Messenger holds for a user ({@code null}: idle), for tests and the page. */
    public synchronized String ownerOf(String psid) {
        var c = conversations.get(psid);
        if (c == null) {
            return null;
        }
        expireIfIdle(c);
        return c.owner;
    }

    /** Records what became of a webhook delivery: the function's status, or -1 when it could not be reached. */
    public synchronized void delivered(long timelineId, int status, long millis) {
        for (var entry : timeline) {
            if (entry.path("id").asLong() == timelineId) {
                entry.put("status", status).put("millis", millis);
                changed();
                return;
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private Delivery deliver(String channel, ObjectNode event, String what) {
        var entry = note("webhook", "to the bot on " + channel + ": " + what, event, 0);
        return new Delivery(channel, event, entry.path("id").asLong());
    }

    private ObjectNode note(String kind, String title, JsonNode detail, int status) {
        var id = nextId++;
        var entry = JSON.objectNode().put("id", id).put("at", now()).put("kind", kind).put("title", title)
                .put("status", status);
        if (detail != null) {
            entry.set("detail", detail.deepCopy());
        }
        timeline.addLast(entry);
        while (timeline.size() > TIMELINE_LIMIT) {
            timeline.removeFirst();
        }
        changed();
        return entry;
    }

    private ObjectNode event(String sender, String recipient) {
        var e = JSON.objectNode();
        e.putObject("sender").put("id", sender);
        e.putObject("recipient").put("id", recipient);
        e.put("timestamp", now());
        return e;
    }

    private ObjectNode line(String from, String text) {
        return JSON.objectNode().put("at", now()).put("from", from).put("text", text);
    }

    private String mid() {
        return "m_emulated_" + (nextId++);
    }

    private long now() {
        return clock.getAsLong();
    }

    private void changed() {
        version++;
    }

    private static ObjectNode ok() {
        return JSON.objectNode().put("success", true);
    }

    private static Outcome refused(String why) {
        return new Outcome(400, JSON.objectNode().put("error", why), List.of());
    }

    /** Graph's error JSON: {@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}}. */
    static Outcome graphError(int code, int subcode, String message) {
        var body = JSON.objectNode();
        var error = body.putObject("error").put("message", message).put("type", "OAuthException").put("code", code);
        if (subcode != 0) {
            error.put("error_subcode", subcode);
        }
        error.put("fbtrace_id", "Emulated" + Long.toHexString(System.identityHashCode(body)));
        return new Outcome(400, body, List.of());
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    enum Folder {
        INBOX, DONE
    }

    /** One user's thread as the platform holds it. */
    static final class Conversation {
        final String psid;
        final String name;
        final ArrayNode lines = JSON.arrayNode();
        String owner;
        long lastActivity;
        Folder folder = Folder.DONE;
        boolean notified;

        Conversation(String psid, String name, String owner, long now) {
            this.psid = psid;
            this.name = name;
            this.owner = owner;
            this.lastActivity = now;
        }

        void add(ObjectNode line) {
            lines.add(line);
        }
    }
}
