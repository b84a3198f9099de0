package dev.messengerhandover.dev.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
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
 * The Messenger Platform around one Page, as Conversation Routing works today
 * (developers.facebook.com/documentation/business-messaging/messenger-platform/conversation-routing): one model that
 * the dev-mode emulator and the tests' Graph stand-in both run on, so that they cannot drift apart.
 *
 * <ul>
 * <li><b>Threads and owners.</b> One app controls a thread at a time; a thread nobody controls is idle. Control expires
 * after 24 h without activity. In {@link Mode#ROUTING} the Page has a default app (the bot): a user writing to an idle
 * thread reaches it, and it may send to idle threads. In {@link Mode#DEFAULT_BEHAVIOUR} there is no default app and
 * every app hears idle threads on {@code messaging}.</li>
 * <li><b>Deliveries.</b> The owner hears the user on {@code messaging}, every other app on {@code standby}
 * (postbacks there lose their payload); echoes of the Page's messages reach every app the same way.</li>
 * <li><b>Graph.</b> {@link #graph} answers the calls the bot makes with its Page token: the Send API (with
 * {@code thread_control} where routing is configured, and the 24 h messaging window), pass, take (routing only),
 * release, request (default behaviour only), extend, {@code thread_owner} with its expiration, and
 * {@code messaging_feature_status}; what Graph refuses gets Graph's error JSON and codes.</li>
 * <li><b>The Page Inbox</b>, worked by people: an agent's reply takes control where routing is configured, moving a
 * conversation to the main folder does too (default behaviour: it asks the owner), and Done either passes the thread
 * back to the bot or releases it without a webhook.</li>
 * </ul>
 * Pure: no I/O, the clock is passed in, callers synchronise. The {@link Event}s an action returns are what Messenger
 * delivers to each app's webhook.
 */
public final class MessengerPlatform {

    public static final String MESSAGING = "messaging";
    public static final String STANDBY = "standby";
    public static final String PAGE_INBOX_APP_ID = "263902037430900";
    public static final String INSTAGRAM_INBOX_APP_ID = "1217981644879628";
    static final int INSTAGRAM_TEXT_LIMIT = 1000;
    public static final Duration CONTROL_LASTS = Duration.ofHours(24);
    public static final Duration MESSAGING_WINDOW = Duration.ofHours(24);
    public static final Duration MAX_EXTENSION = Duration.ofDays(7);
    static final int TEXT_LIMIT = 2000;
    static final int QUICK_REPLY_LIMIT = 13;
    static final int QUICK_REPLY_TITLE_LIMIT = 20;
    static final int METADATA_LIMIT = 1000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Whether the Page has a default app (Conversation Routing configured) or not. */
    public enum Mode {
        ROUTING, DEFAULT_BEHAVIOUR
    }

    /** The Page Inbox's folders. */
    public enum Folder {
        MAIN, DONE
    }

    /** The two ways an agent's Done can reach the bot. */
    public enum Done {
        /** The Inbox passes the thread back to the bot: a {@code pass_thread_control} webhook. */
        PASS_BACK,
        /** The Inbox releases the thread: it is idle, and no webhook says so. */
        RELEASE
    }

    /**
     * A webhook event Meta owes {@code appId}: {@code body} is the item of the {@code channel} array of an entry of
     * {@code object} ({@code page}, or {@code instagram}) for {@code entryId} (the Page, or the Instagram account).
     */
    public record Event(String appId, String channel, ObjectNode body, String object, String entryId) {
        /** The delivery as Meta posts it: {@code {"object":...,"entry":[{"id","time",CHANNEL:[body]}]}}. */
        public ObjectNode delivery() {
            var delivery = JSON.objectNode().put("object", object);
            var entry = delivery.putArray("entry").addObject().put("id", entryId)
                    .put("time", body.path("timestamp").asLong());
            entry.putArray(channel).add(body);
            return delivery;
        }

        /** What the event is, in a few words: its field ({@code message}, {@code pass_thread_control}, ...). */
        public String kind() {
            var names = body.fieldNames();
            while (names.hasNext()) {
                var name = names.next();
                if (!Set.of("sender", "recipient", "timestamp").contains(name)) {
                    return name.equals("message") && body.path("message").path("is_echo").asBoolean() ? "echo" : name;
                }
            }
            return "event";
        }
    }

    /** The platform's answer to an action: HTTP status and JSON (Graph's, for Graph calls), and the webhook events. */
    public record Answer(int status, ObjectNode body, List<Event> events) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** One user's thread with the Page, as Messenger holds it. */
    public static final class Conversation {
        final String psid;
        final String name;
        final ArrayNode lines = JSON.arrayNode();
        String owner;
        long expiresAt;
        long userWroteAt;
        Folder folder = Folder.DONE;
        boolean unread;
        final boolean instagram;

        Conversation(String psid, String name, boolean instagram) {
            this.psid = psid;
            this.name = name;
            this.instagram = instagram;
        }

        /** A direct-message thread with the Page's linked Instagram account, not a Messenger one. */
        public boolean instagram() {
            return instagram;
        }

        public String psid() {
            return psid;
        }

        public String name() {
            return name;
        }

        /** The app that controls the thread, {@code null} when idle. */
        public String owner() {
            return owner;
        }

        public long expiresAt() {
            return expiresAt;
        }

        public Folder folder() {
            return folder;
        }

        public boolean unread() {
            return unread;
        }

        /** Every message and notice of the thread, as the Page Inbox shows it. */
        public ArrayNode lines() {
            return lines;
        }
    }

    private final String pageId;
    private String pageToken;
    private final String botAppId;
    private final String inboxAppId;
    private final String instagramId;
    private final String instagramInboxAppId;
    private final String appSecret;
    private final Set<String> connectedApps;
    private final LongSupplier clock;
    private final boolean knowsEveryUser;
    private Mode mode;
    private final Map<String, Conversation> threads = new LinkedHashMap<>();
    private long nextId = 1;

    /**
     * @param botAppId the app the Page token belongs to: the default app in {@link Mode#ROUTING}
     * @param connectedApps every other app connected to the Page (the Page Inbox among them)
     * @param knowsEveryUser a stand-in that is not told about users: any recipient is a user who wrote just now
     */
    public MessengerPlatform(String pageId, String pageToken, String botAppId, String inboxAppId,
            Set<String> connectedApps, Mode mode, LongSupplier clock, boolean knowsEveryUser) {
        this(pageId, pageToken, null, botAppId, inboxAppId, null, INSTAGRAM_INBOX_APP_ID, connectedApps, mode, clock,
                knowsEveryUser);
    }

    /**
     * A Page whose app requires the app secret ({@code appSecret}: every call must carry {@code appsecret_proof}),
     * with a linked Instagram professional account ({@code instagramId}, or {@code null}) whose direct messages its
     * Instagram Inbox works.
     */
    public MessengerPlatform(String pageId, String pageToken, String appSecret, String botAppId, String inboxAppId,
            String instagramId, String instagramInboxAppId, Set<String> connectedApps, Mode mode, LongSupplier clock,
            boolean knowsEveryUser) {
        this.pageId = pageId;
        this.pageToken = pageToken;
        this.appSecret = appSecret;
        this.botAppId = botAppId;
        this.inboxAppId = inboxAppId;
        this.instagramId = instagramId;
        this.instagramInboxAppId = instagramInboxAppId;
        this.connectedApps = Set.copyOf(connectedApps);
        this.mode = mode;
        this.clock = clock;
        this.knowsEveryUser = knowsEveryUser;
    }

    public String pageId() {
        return pageId;
    }

    public String botAppId() {
        return botAppId;
    }

    public String inboxAppId() {
        return inboxAppId;
    }

    public String instagramId() {
        return instagramId;
    }

    public String instagramInboxAppId() {
        return instagramInboxAppId;
    }

    /** The Inbox that works a thread: the Page Inbox, or the Instagram Inbox for an Instagram thread. */
    public String inboxOf(Conversation t) {
        return t.instagram ? instagramInboxAppId : inboxAppId;
    }

    public Mode mode() {
        return mode;
    }

    /** The Page's setting changes (a Page admin sets or clears the default app); threads keep their owners. */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    public long now() {
        return clock.getAsLong();
    }

    public List<Conversation> threads() {
        threads.values().forEach(this::expire);
        return List.copyOf(threads.values());
    }

    public Conversation thread(String psid) {
        var t = threads.get(psid);
        if (t == null && knowsEveryUser && psid != null && !psid.isEmpty()) {
            t = new Conversation(psid, "User " + psid, false);
            threads.put(psid, t);
            userWrote(psid, now()); // a user the stand-in was not told about wrote just now
        }
        if (t != null) {
            expire(t);
        }
        return t;
    }

    /** Whether this Page (or its Instagram account) has a thread with {@code psid}. */
    public boolean knows(String psid) {
        return threads.containsKey(psid);
    }

    public boolean hasToken(String token) {
        return token != null && constantTimeEquals(token, pageToken);
    }

    /** The Page's token is rotated (or revoked): the old one is refused with 190 from now on. */
    public void token(String token) {
        this.pageToken = token;
    }

    /** The owner Messenger holds for a user ({@code null}: idle). */
    public String ownerOf(String psid) {
        var t = thread(psid);
        return t == null ? null : t.owner;
    }

    /** Moves the thread without a webhook, as the platform can (another tool, an expiry, an admin). */
    public void setOwner(String psid, String appId) {
        var t = thread(psid);
        t.owner = appId;
        t.expiresAt = appId == null ? 0 : now() + CONTROL_LASTS.toMillis();
    }

    /** Tells a stand-in that the user wrote at {@code at}: their messaging window runs from then. */
    public void userWrote(String psid, long at) {
        userWrote(psid, at, false);
    }

    /** The same, for a user of the linked Instagram account ({@code instagram}) or of the Page. */
    public void userWrote(String psid, long at, boolean instagram) {
        if (instagram && !threads.containsKey(psid)) {
            threads.put(psid, new Conversation(psid, "Instagram user " + psid, true));
        }
        var t = thread(psid);
        if (t != null) {
            t.userWroteAt = Math.max(t.userWroteAt, at);
            if (mode == Mode.ROUTING && t.owner == null) {
                t.owner = botAppId;
            }
            if (t.owner != null) {
                t.expiresAt = Math.max(t.expiresAt, at + CONTROL_LASTS.toMillis());
            }
        }
    }

    // --- the user ------------------------------------------------------------------------------------------------

    /** Someone opens the Page's chat. */
    public Conversation addUser(String name) {
        return addUser(name, Long.toString(7_000_000_000_000_000L + threads.size() + 1), false);
    }

    /**
     * Someone opens the Page's chat ({@code instagram}: a direct-message chat with its linked Instagram account), as
     * {@code psid} (an IGSID on Instagram).
     */
    public Conversation addUser(String name, String psid, boolean instagram) {
        if (instagram && instagramId == null) {
            throw new IllegalStateException("page " + pageId + " has no linked Instagram account");
        }
        var t = new Conversation(psid, name, instagram);
        threads.put(psid, t);
        return t;
    }

    /** The user types text, or taps a quick reply ({@code quickReplyPayload} set). */
    public Answer userSends(String psid, String text, String quickReplyPayload) {
        var t = thread(psid);
        if (t == null || text == null || text.isBlank()) {
            return refused(t == null ? "no such user" : "empty message");
        }
        var message = JSON.objectNode().put("mid", mid()).put("text", text);
        if (quickReplyPayload != null) {
            message.putObject("quick_reply").put("payload", quickReplyPayload);
        }
        return userEvent(t, "message", message, text);
    }

    /** The user taps a postback button. */
    public Answer userTaps(String psid, String title, String payload) {
        var t = thread(psid);
        if (t == null || title == null || payload == null) {
            return refused(t == null ? "no such user" : "title and payload are required");
        }
        var postback = JSON.objectNode().put("mid", mid()).put("title", title).put("payload", payload);
        return userEvent(t, "postback", postback, title);
    }

    private Answer userEvent(Conversation t, String field, ObjectNode content, String text) {
        long now = now();
        t.userWroteAt = now;
        t.lines.add(line("user", text));
        if (mode == Mode.ROUTING && t.owner == null) {
            t.owner = botAppId; // the default app answers a thread nobody controls
        }
        activity(t);
        if (inboxOf(t).equals(t.owner) || t.folder == Folder.MAIN) {
            t.unread = true;
        }
        var events = new ArrayList<Event>();
        for (var app : apps(t)) {
            var channel = channelOf(t, app);
            var item = content.deepCopy();
            if (STANDBY.equals(channel) && "postback".equals(field)) {
                item.remove("payload");
            }
            events.add(deliver(t, app, channel, (ObjectNode) event(t.psid, entryOf(t)).set(field, item)));
        }
        return new Answer(200, ok(), events);
    }

    // --- the Page Inbox, worked by people ----------------------------------------------------------------------

    /** An agent opens the conversation: it is read. */
    public void agentOpens(String psid) {
        var t = thread(psid);
        if (t != null) {
            t.unread = false;
        }
    }

    /**
     * An agent replies. Where routing is configured, answering a conversation the Inbox does not control makes the
     * Inbox take it; in default behaviour the Inbox may answer an idle thread as any app may.
     */
    public Answer agentReplies(String psid, String text) {
        var t = thread(psid);
        if (t == null || text == null || text.isBlank()) {
            return refused(t == null ? "no such user" : "empty message");
        }
        var events = new ArrayList<Event>();
        if (!inboxOf(t).equals(t.owner)) {
            if (mode == Mode.ROUTING) {
                events.addAll(control(t, "take_thread_control", inboxOf(t), "The Page Inbox took the conversation"));
            } else if (t.owner != null) {
                return graphError(10, 2018300, "(#10) Another app is controlling this thread");
            }
        }
        t.unread = false;
        t.folder = Folder.MAIN;
        activity(t);
        var mid = mid();
        t.lines.add(line("agent", text).put("mid", mid));
        var echo = JSON.objectNode().put("is_echo", true).put("app_id", inboxOf(t)).put("mid", mid).put("text", text);
        events.addAll(echoes(t, echo));
        return new Answer(200, ok(), events);
    }

    /** The agent clicks Done: the thread goes back to the bot, by a pass or by a release without webhook. */
    public Answer agentDone(String psid, Done how) {
        var t = thread(psid);
        if (t == null) {
            return refused("no such user");
        }
        t.folder = Folder.DONE;
        t.unread = false;
        if (!inboxOf(t).equals(t.owner)) {
            return new Answer(200, ok(), List.of()); // nothing to give back: the Inbox does not hold the thread
        }
        if (how == Done.RELEASE) {
            t.owner = null;
            t.expiresAt = 0;
            t.lines.add(line("system", "Marked Done: the Page Inbox released the conversation (no webhook)"));
            return new Answer(200, ok(), List.of());
        }
        t.lines.add(line("system", "Marked Done: the Page Inbox passed the conversation back to the bot"));
        return new Answer(200, ok(), pass(t, botAppId, null));
    }

    /**
     * A Page admin moves a conversation to the main folder by hand. Where routing is configured the Inbox takes
     * control; in default behaviour it asks the owner with {@code request_thread_control}.
     */
    public Answer moveToMain(String psid) {
        var t = thread(psid);
        if (t == null) {
            return refused("no such user");
        }
        t.folder = Folder.MAIN;
        if (inboxOf(t).equals(t.owner)) {
            return new Answer(200, ok(), List.of());
        }
        if (mode == Mode.ROUTING) {
            return new Answer(200, ok(), control(t, "take_thread_control", inboxOf(t),
                    "Moved to the main folder: the Page Inbox took the conversation"));
        }
        t.lines.add(line("system", "Moved to Inbox: the Page Inbox asked for the conversation"));
        if (t.owner == null) {
            return new Answer(200, ok(), pass(t, inboxOf(t), "Moved to Inbox"));
        }
        var request = JSON.objectNode().put("requested_owner_app_id", inboxOf(t)).put("metadata", "Moved to Inbox");
        return new Answer(200, ok(), List.of(deliver(t, t.owner, MESSAGING,
                (ObjectNode) event(t.psid, entryOf(t)).set("request_thread_control", request))));
    }

    // --- Graph, as the bot calls it with its Page token --------------------------------------------------------

    /**
     * One Graph call on {@code /{version}/{node}/{edge}} ({@code node} is {@code me} or the Page id; no edge for the
     * node itself), checked and applied as Graph would. {@code query} holds {@code recipient} or {@code fields}.
     */
    public Answer graph(String method, String node, String edge, String token, JsonNode body,
            Map<String, String> query) {
        if (token == null || !constantTimeEquals(token, pageToken)) {
            return graphError(190, 0, "Invalid OAuth access token - Cannot parse access token");
        }
        if (appSecret != null) {
            var proof = query.get("appsecret_proof");
            if (proof == null) {
                return graphError(100, 0, "(#100) API calls from the server require an appsecret_proof argument");
            }
            if (!constantTimeEquals(proof, proofOf(token))) {
                return graphError(100, 0, "(#100) Invalid appsecret_proof provided in the API argument");
            }
        }
        if (!"me".equals(node) && !pageId.equals(node)) {
            return graphError(100, 33, "Unsupported " + method + " request. Object with ID '" + node
                    + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation");
        }
        var call = method + " " + (edge == null ? "" : edge);
        if (call.equals("GET ")) {
            return featureStatus(query.get("fields"));
        }
        var psid = call.equals("GET thread_owner") ? query.get("recipient")
                : body == null ? null : body.path("recipient").path("id").asText(null);
        if (!Set.of("POST messages", "POST pass_thread_control", "POST take_thread_control",
                "POST release_thread_control", "POST request_thread_control", "POST extend_thread_control",
                "GET thread_owner").contains(call)) {
            return graphError(100, 33, "Unsupported " + method + " request. Object with ID '" + node
                    + "' does not support this operation");
        }
        if (psid == null || psid.isEmpty()) {
            return graphError(100, 0, "(#100) The parameter recipient is required");
        }
        var t = thread(psid);
        if (t == null) {
            return graphError(100, 2018001, "(#100) No matching user found");
        }
        return switch (call) {
            case "GET thread_owner" -> threadOwner(t);
            case "POST messages" -> send(t, body);
            case "POST pass_thread_control" -> passByBot(t, body);
            case "POST take_thread_control" -> take(t);
            case "POST release_thread_control" -> release(t);
            case "POST request_thread_control" -> request(t);
            default -> extend(t, body);
        };
    }

    private Answer featureStatus(String fields) {
        if (fields == null || !fields.contains("messaging_feature_status")) {
            return graphError(100, 0, "(#100) This endpoint needs fields=messaging_feature_status in this stand-in");
        }
        var body = JSON.objectNode();
        body.putObject("messaging_feature_status").put("hop_v2", mode == Mode.ROUTING)
                .put("msgr_multi_app", mode == Mode.ROUTING).put("ig_multi_app", mode == Mode.ROUTING
                        && instagramId != null);
        body.put("id", pageId);
        return new Answer(200, body, List.of());
    }

    private Answer threadOwner(Conversation t) {
        var body = JSON.objectNode();
        var data = body.putArray("data");
        if (t.owner != null) {
            var owner = data.addObject().putObject("thread_owner");
            // Graph names the owner only to the owner itself and to the default app.
            if (botAppId.equals(t.owner) || mode == Mode.ROUTING) {
                owner.put("app_id", t.owner);
            }
            owner.put("expiration", t.expiresAt / 1000);
        }
        return new Answer(200, body, List.of());
    }

    private Answer send(Conversation t, JsonNode body) {
        if (body.has("sender_action") && !body.has("message")) {
            return senderAction(t, body.path("sender_action").asText(""));
        }
        var type = body.path("messaging_type").asText("RESPONSE");
        if (!Set.of("RESPONSE", "UPDATE", "MESSAGE_TAG").contains(type)) {
            return graphError(100, 0, "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}");
        }
        var message = body.path("message");
        var text = message.path("text").asText(null);
        var attachment = message.path("attachment");
        if (body.has("sender_action")) {
            return graphError(100, 0, "(#100) Param sender_action cannot be sent with a message");
        }
        if (text == null && attachment.isMissingNode()) {
            return graphError(100, 0, "(#100) Must send either message or sender action");
        }
        int limit = t.instagram ? INSTAGRAM_TEXT_LIMIT : TEXT_LIMIT;
        if (text != null && text.length() > limit) {
            return graphError(100, 0, "(#100) Length of param message[text] must be less than or equal to " + limit);
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
        if ("HUMAN_AGENT".equals(body.path("tag").asText(null))) {
            return graphError(10, 2018065, "(#10) The HUMAN_AGENT tag is for messages people type, not for bots");
        }
        var control = body.path("thread_control");
        if (!control.isMissingNode() && mode != Mode.ROUTING) {
            return graphError(100, 0, "(#100) Param thread_control is only available where Conversation Routing is"
                    + " configured");
        }
        var target = control.path("app_id").asText(null);
        var controlType = control.path("control_type").asText("release");
        if (!control.isMissingNode() && "pass".equals(controlType) && target != null && !connected(t, target)) {
            return graphError(100, 0, "(#100) Param thread_control[app_id] must be an app connected to the Page");
        }
        var refusal = mayAct(t, "send");
        if (refusal != null) {
            return refusal;
        }
        if (!"MESSAGE_TAG".equals(type) && now() - t.userWroteAt >= MESSAGING_WINDOW.toMillis()) {
            return graphError(10, 2018278, "(#10) This message is sent outside of allowed window.");
        }
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
        t.lines.add(line);
        activity(t);
        var echo = message.deepCopy();
        ((ObjectNode) echo).put("is_echo", true).put("app_id", botAppId).put("mid", mid);
        var events = new ArrayList<>(echoes(t, (ObjectNode) echo));
        if (!control.isMissingNode()) {
            if ("pass".equals(controlType)) {
                t.lines.add(line("system", "The bot passed the conversation to " + appName(target(target))));
                events.addAll(pass(t, target(target), null));
            } else {
                t.owner = null;
                t.expiresAt = 0;
            }
        }
        var answer = JSON.objectNode().put("recipient_id", t.psid).put("message_id", mid);
        return new Answer(200, answer, events);
    }

    /**
     * A sender action ({@code typing_on}, {@code typing_off}, {@code mark_seen}): shown to the user, kept nowhere,
     * echoed to nobody, and under a message's rules (the thread's owner, inside the window). Graph answers with the
     * recipient alone.
     */
    private Answer senderAction(Conversation t, String action) {
        if (!Set.of("typing_on", "typing_off", "mark_seen").contains(action)) {
            return graphError(100, 0, "(#100) Param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF}");
        }
        var refusal = mayAct(t, "send");
        if (refusal != null) {
            return refusal;
        }
        if (now() - t.userWroteAt >= MESSAGING_WINDOW.toMillis()) {
            return graphError(10, 2018278, "(#10) This message is sent outside of allowed window.");
        }
        return new Answer(200, JSON.objectNode().put("recipient_id", t.psid), List.of());
    }

    private Answer passByBot(Conversation t, JsonNode body) {
        var target = body.path("target_app_id").asText(null);
        if (target == null && mode == Mode.DEFAULT_BEHAVIOUR) {
            return graphError(100, 0, "(#100) Param target_app_id is required: the Page has no default app");
        }
        target = target(target);
        if (!connected(t, target) && !botAppId.equals(target)) {
            return graphError(100, 0, "(#100) Param target_app_id must be an app connected to the Page");
        }
        var refusal = mayAct(t, "pass thread control");
        if (refusal != null) {
            return refusal;
        }
        var metadata = body.path("metadata").asText(null);
        if (metadata != null && metadata.length() > METADATA_LIMIT) {
            return graphError(100, 0, "(#100) Param metadata must be at most 1000 characters");
        }
        t.lines.add(line("system", metadata == null || metadata.isBlank()
                ? "The bot passed the conversation to " + appName(target)
                : "The bot passed the conversation to " + appName(target) + ": " + metadata));
        return new Answer(200, ok(), pass(t, target, metadata));
    }

    private Answer take(Conversation t) {
        if (mode != Mode.ROUTING) {
            return graphError(27, 2018464, "(#27) take_thread_control is not available: the Page has no default app"
                    + " (Conversation Routing is not configured)");
        }
        if (botAppId.equals(t.owner)) {
            return new Answer(200, ok(), List.of());
        }
        if (t.owner != null) {
            t.lines.add(line("system", "The bot took the conversation back from " + appName(t.owner)));
        }
        return new Answer(200, ok(), control(t, "take_thread_control", botAppId, null));
    }

    private Answer release(Conversation t) {
        if (!botAppId.equals(t.owner)) {
            return graphError(100, 2018151, "(#100) The app is not the thread owner");
        }
        t.owner = null;
        t.expiresAt = 0;
        return new Answer(200, ok(), List.of());
    }

    private Answer request(Conversation t) {
        if (mode == Mode.ROUTING) {
            return graphError(10, 0, "(#10) request_thread_control is only supported in default behaviour");
        }
        if (t.owner == null || botAppId.equals(t.owner)) {
            return graphError(100, 2018151, "(#100) Only another app's thread can be requested");
        }
        var request = JSON.objectNode().put("requested_owner_app_id", botAppId);
        return new Answer(200, ok(), List.of(deliver(t, t.owner, MESSAGING,
                (ObjectNode) event(t.psid, entryOf(t)).set("request_thread_control", request))));
    }

    private Answer extend(Conversation t, JsonNode body) {
        if (!botAppId.equals(t.owner)) {
            return graphError(100, 2018151, "(#100) The app is not the thread owner");
        }
        long seconds = body.path("duration").asLong(0);
        if (seconds <= 0 || seconds > MAX_EXTENSION.toSeconds()) {
            return graphError(100, 0, "(#100) Param duration must be between 1 and 604800 seconds");
        }
        t.expiresAt = Math.max(t.expiresAt, now() + seconds * 1000);
        return new Answer(200, ok(), List.of());
    }

    /**
     * Whether the bot may send or pass now: it controls the thread, or the thread is idle and routing lets the default
     * app act on it (default behaviour: any app may act on an idle thread).
     */
    private Answer mayAct(Conversation t, String what) {
        if (t.owner == null || botAppId.equals(t.owner)) {
            return null;
        }
        return graphError(10, 2018300, "(#10) Cannot " + what + ": another app is controlling this thread");
    }

    // --- control and delivery ----------------------------------------------------------------------------------

    /** Control moves to {@code to} by a pass; the new owner hears {@code pass_thread_control}. */
    private List<Event> pass(Conversation t, String to, String metadata) {
        var previous = t.owner;
        t.owner = to;
        activity(t);
        if (inboxOf(t).equals(to)) {
            t.folder = Folder.MAIN;
            t.unread = true;
        }
        var pass = JSON.objectNode().put("new_owner_app_id", to);
        if (previous != null) {
            pass.put("previous_owner_app_id", previous);
        }
        if (metadata != null) {
            pass.put("metadata", metadata);
        }
        return List.of(deliver(t, to, MESSAGING,
                (ObjectNode) event(t.psid, entryOf(t)).set("pass_thread_control", pass)));
    }

    /** Control moves to {@code to} by a take; the previous owner hears {@code take_thread_control}. */
    private List<Event> control(Conversation t, String field, String to, String notice) {
        var previous = t.owner;
        t.owner = to;
        activity(t);
        if (notice != null) {
            t.lines.add(line("system", notice));
        }
        if (botAppId.equals(to)) {
            t.folder = Folder.DONE;
            t.unread = false;
        }
        if (previous == null || previous.equals(to)) {
            return List.of();
        }
        var take = JSON.objectNode().put("previous_owner_app_id", previous).put("new_owner_app_id", to);
        return List.of(deliver(t, previous, MESSAGING, (ObjectNode) event(t.psid, entryOf(t)).set(field, take)));
    }

    /** Echoes of a message the Page sent, to every app, on the channel it hears the thread on. */
    private List<Event> echoes(Conversation t, ObjectNode echo) {
        if (t.instagram) {
            // Instagram's echoes say is_echo and nothing of the app that sent the message (Meta's own examples).
            echo.remove("app_id");
        }
        var events = new ArrayList<Event>();
        for (var app : apps(t)) {
            events.add(deliver(t, app, channelOf(t, app), (ObjectNode) event(entryOf(t), t.psid).set("message",
                    echo.deepCopy())));
        }
        return events;
    }

    /** The owner hears the thread on messaging, everyone else on standby; idle: the default app, or every app. */
    public String channelOf(Conversation t, String appId) {
        expire(t);
        if (t.owner == null) {
            return mode == Mode.DEFAULT_BEHAVIOUR || botAppId.equals(appId) ? MESSAGING : STANDBY;
        }
        return t.owner.equals(appId) ? MESSAGING : STANDBY;
    }

    /** "Conversation control will expire after 24 hours of inactivity": past its expiration a thread is idle. */
    private void expire(Conversation t) {
        if (t.owner != null && t.expiresAt > 0 && now() >= t.expiresAt) {
            t.owner = null;
            t.expiresAt = 0;
            t.lines.add(line("system", "Idle: control expired after " + CONTROL_LASTS.toHours()
                    + " hours without activity"));
        }
    }

    private void activity(Conversation t) {
        t.expiresAt = t.owner == null ? 0 : Math.max(t.expiresAt, now() + CONTROL_LASTS.toMillis());
    }

    /** The apps that receive a thread's webhooks: the bot and its Inbox (others only act through Graph). */
    private List<String> apps(Conversation t) {
        return List.of(botAppId, inboxOf(t));
    }

    private String target(String appId) {
        return appId == null ? botAppId : appId;
    }

    private boolean connected(Conversation t, String appId) {
        return appId != null && (connectedApps.contains(appId) || inboxOf(t).equals(appId));
    }

    public String appName(String appId) {
        if (appId == null) {
            return "nobody";
        }
        return botAppId.equals(appId) ? "the bot" : inboxAppId.equals(appId) ? "the Page Inbox"
                : instagramInboxAppId.equals(appId) ? "the Instagram Inbox" : "app " + appId;
    }

    /** An event for {@code app} about thread {@code t}: an Instagram thread's come as {@code object: instagram}. */
    private Event deliver(Conversation t, String app, String channel, ObjectNode body) {
        return new Event(app, channel, body, t.instagram ? "instagram" : "page", entryOf(t));
    }

    /** Whose entry a thread's events are in: the Page's, or its Instagram account's. */
    private String entryOf(Conversation t) {
        return t.instagram ? instagramId : pageId;
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
        return "m_" + pageId + "_" + (nextId++);
    }

    private static ObjectNode ok() {
        return JSON.objectNode().put("success", true);
    }

    private static Answer refused(String why) {
        return new Answer(400, JSON.objectNode().put("error", why), List.of());
    }

    /** Graph's error JSON: {@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}}, HTTP 400. */
    public static Answer graphError(int code, int subcode, String message) {
        var body = JSON.objectNode();
        var error = body.putObject("error").put("message", message).put("type", "OAuthException").put("code", code);
        if (subcode != 0) {
            error.put("error_subcode", subcode);
        }
        error.put("fbtrace_id", "A" + Long.toHexString(Double.doubleToLongBits(Math.random())));
        return new Answer(400, body, List.of());
    }

    /** {@code appsecret_proof}: hex HMAC-SHA256 of the token under the app secret. */
    private String proofOf(String token) {
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
