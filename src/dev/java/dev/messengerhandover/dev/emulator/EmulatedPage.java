package dev.messengerhandover.dev.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.platform.MessengerPlatform;
import dev.messengerhandover.dev.platform.MessengerPlatform.Answer;
import dev.messengerhandover.dev.platform.MessengerPlatform.Done;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;

/**
 * The emulator's Page: the {@link MessengerPlatform} (the same model the tests' Graph stand-in runs on), a clock the
 * page can move forward, and the timeline of what happened: every webhook delivery to the bot with its answer, every
 * Graph call with its request and answer, and what the Page Inbox heard. The caller posts the {@link Delivery
 * deliveries} an action returns to the bot's webhook; the Page Inbox's events are shown, its folders kept by the
 * platform.
 *
 * <p>Pure and single-threaded by contract: every public method is synchronized, no I/O.
 */
public final class EmulatedPage {

    public static final String MESSAGING = MessengerPlatform.MESSAGING;
    public static final String STANDBY = MessengerPlatform.STANDBY;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int TIMELINE_LIMIT = 300;
    /** A timeline entry's title stays on one line; the whole text is under its JSON. */
    static final int TITLE_LIMIT = 80;
    private static final List<String> NAMES = List.of("Alex", "Sam", "Noor", "Lena", "Kofi", "Mia", "Ravi", "Yuki",
            "Iris", "Tomás", "Ada", "Omar");

    /** A webhook delivery owed to the bot: one event on one channel, with its timeline entry. */
    public record Delivery(String channel, ObjectNode event, long timelineId) {
        /** The body as Messenger posts it. */
        public ObjectNode body(String pageId) {
            return new MessengerPlatform.Event(null, channel, event).delivery(pageId);
        }
    }

    /** What the platform answers an action (HTTP status and JSON), and the deliveries to the bot it causes. */
    public record Outcome(int status, ObjectNode body, List<Delivery> deliveries) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final MessengerPlatform platform;
    private final Deque<ObjectNode> timeline = new ArrayDeque<>();
    private final LongSupplier realClock;
    private long offsetMillis;
    private long nextId = 1;
    private long version;

    public EmulatedPage(String pageId, String pageToken, String botAppId, String inboxAppId, Mode mode,
            LongSupplier realClock) {
        this.realClock = realClock;
        this.platform = new MessengerPlatform(pageId, pageToken, botAppId, inboxAppId, Set.of(inboxAppId), mode,
                this::now, false);
    }

    public synchronized String pageId() {
        return platform.pageId();
    }

    /** Grows with every change; the page uses it to know when to fetch the state again. */
    public synchronized long version() {
        return version;
    }

    public synchronized long now() {
        return realClock.getAsLong() + offsetMillis;
    }

    // --- the people -------------------------------------------------------------------------------------------

    /** Someone opens the Page's chat; without a name, one the page has not used yet. */
    public synchronized String addUser(String name) {
        var taken = new HashSet<String>();
        platform.threads().forEach(t -> taken.add(t.name()));
        var chosen = name != null && !name.isBlank() ? name.strip() : NAMES.stream().filter(n -> !taken.contains(n))
                .findFirst().orElse("User " + (taken.size() + 1));
        var psid = platform.addUser(chosen).psid();
        changed();
        return psid;
    }

    public synchronized Outcome userSends(String psid, String text, String quickReplyPayload) {
        return apply(() -> platform.userSends(psid, text, quickReplyPayload),
                (quickReplyPayload != null ? "quick reply " : "message ") + quote(text));
    }

    public synchronized Outcome userTaps(String psid, String title, String payload) {
        return apply(() -> platform.userTaps(psid, title, payload), "postback " + quote(title));
    }

    public synchronized void agentOpens(String psid) {
        platform.agentOpens(psid);
        changed();
    }

    public synchronized Outcome agentReplies(String psid, String text) {
        return apply(() -> platform.agentReplies(psid, text), "the agent's reply " + quote(text));
    }

    /** Done, as a pass back to the bot or as a release without webhook. */
    public synchronized Outcome agentDone(String psid, Done how) {
        return apply(() -> platform.agentDone(psid, how), how == Done.PASS_BACK ? "Done (pass back)"
                : "Done (release)");
    }

    public synchronized Outcome moveToInbox(String psid) {
        return apply(() -> platform.moveToMain(psid), "move to Inbox");
    }

    /** A Page admin sets or clears the default app. */
    public synchronized void mode(Mode mode) {
        platform.mode(mode);
        note("platform", mode == Mode.ROUTING ? "Conversation Routing: the bot is the Page's default app"
                : "Default behaviour: no default app", null, 0);
    }

    /** Time passes: control of quiet threads expires, messaging windows close. */
    public synchronized void advance(Duration by) {
        offsetMillis += by.toMillis();
        platform.threads(); // expirations are noticed now, and noted on the threads
        note("clock", "+" + describe(by) + ": it is now " + java.time.Instant.ofEpochMilli(now()), null, 0);
    }

    // --- Graph, as the bot calls it -----------------------------------------------------------------------------

    /** One Graph call on {@code /{version}/{node}[/{edge}]}, recorded on the timeline before the deliveries it causes. */
    public synchronized Outcome graph(String method, String node, String edge, String token, JsonNode body,
            Map<String, String> query) {
        var detail = JSON.objectNode();
        detail.set("request", body != null ? body : JSON.objectNode().setAll(objectOf(query)));
        var entry = note("graph", method + " " + (edge == null ? node + "?" + query.getOrDefault("fields", "")
                : edge), detail, 0);
        var answer = platform.graph(method, node, edge, token, body, query);
        entry.put("status", answer.status()).set("detail", detail.set("response", answer.body()));
        return outcome(answer);
    }

    // --- views -------------------------------------------------------------------------------------------------

    /** Everything the page shows, as JSON: conversations with folder, owner and history, the timeline, the clock. */
    public synchronized ObjectNode snapshot() {
        var s = JSON.objectNode().put("version", version).put("pageId", platform.pageId())
                .put("botAppId", platform.botAppId()).put("inboxAppId", platform.inboxAppId())
                .put("mode", platform.mode() == Mode.ROUTING ? "routing" : "default-behaviour").put("now", now())
                .put("controlLastsSeconds", MessengerPlatform.CONTROL_LASTS.toSeconds());
        var list = s.putArray("conversations");
        for (var t : platform.threads()) {
            var owner = t.owner();
            list.addObject().put("psid", t.psid()).put("name", t.name()).put("owner", owner)
                    .put("role", owner == null ? "idle" : owner.equals(platform.botAppId()) ? "bot"
                            : owner.equals(platform.inboxAppId()) ? "inbox" : "other")
                    .put("expiresAt", t.expiresAt())
                    .put("folder", t.folder() == MessengerPlatform.Folder.MAIN ? "inbox" : "done")
                    .put("notified", t.unread()).set("messages", t.lines().deepCopy());
        }
        var events = s.putArray("timeline");
        timeline.forEach(events::add);
        return s;
    }

    public synchronized String ownerOf(String psid) {
        return platform.ownerOf(psid);
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

    // --- helpers -----------------------------------------------------------------------------------------------

    private Outcome apply(Supplier<Answer> action, String what) {
        var answer = action.get();
        if (answer.ok()) {
            note("action", what, null, 0);
        }
        return outcome(answer);
    }

    /** The bot's events become deliveries to post; the Page Inbox's are noted, as its side of the story. */
    private Outcome outcome(Answer answer) {
        var deliveries = new ArrayList<Delivery>();
        for (var event : answer.events()) {
            if (platform.botAppId().equals(event.appId())) {
                var entry = note("webhook", "to the bot on " + event.channel() + ": " + event.kind(), event.body(), 0);
                deliveries.add(new Delivery(event.channel(), event.body(), entry.path("id").asLong()));
            } else {
                note("inbox", "to " + platform.appName(event.appId()) + " on " + event.channel() + ": "
                        + event.kind(), event.body(), 0);
            }
        }
        changed();
        return new Outcome(answer.status(), answer.body(), deliveries);
    }

    private ObjectNode note(String kind, String title, JsonNode detail, int status) {
        var entry = JSON.objectNode().put("id", nextId++).put("at", now()).put("kind", kind)
                .put("title", clip(title)).put("status", status);
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

    private static String quote(String text) {
        return "\"" + (text == null ? "" : text) + "\"";
    }

    /** Long titles would flood the timeline; the full text stays under JSON. */
    private static String clip(String title) {
        return title.length() <= TITLE_LIMIT ? title : title.substring(0, TITLE_LIMIT - 1) + "…";
    }

    private static Map<String, JsonNode> objectOf(Map<String, String> query) {
        var out = new java.util.LinkedHashMap<String, JsonNode>();
        query.forEach((k, v) -> out.put(k, JSON.textNode(v)));
        return out;
    }

    private static String describe(Duration d) {
        return d.toHours() >= 1 && d.toMinutesPart() == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private void changed() {
        version++;
    }
}
