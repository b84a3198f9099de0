package dev.messengerhandover.dev.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import dev.messengerhandover.dev.platform.MessengerPlatform.Event;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;
import dev.messengerhandover.dev.platform.WhatsAppPlatform;

/**
 * The emulator's Pages: one {@link MessengerPlatform} per Page (the same model the tests' Graph stand-in runs on), a
 * Page possibly with its linked Instagram account; WhatsApp Business numbers, one {@link WhatsAppPlatform} each, with
 * a helpdesk app as their escalation partner; a clock the page can move forward; and the timeline of what happened:
 * every webhook delivery to the bot with its answer, every Graph call with its request and answer, every call to the
 * bot's backend, and what the Inboxes and the helpdesk heard. The caller posts the {@link Delivery deliveries} an
 * action returns to the bot's webhook.
 *
 * <p>Pure: every public method is synchronized, no I/O.
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
    /** WhatsApp users' names: others than Messenger's, so that the Messenger tour meets the users it names. */
    private static final List<String> WHATSAPP_NAMES = List.of("Wes", "Zoe", "Ines", "Luca", "Priya", "Hugo",
            "Amara", "Jonas", "Leila", "Mateo");

    /** One Page the emulator runs: its id, token, name, and linked Instagram account ({@code null}: none). */
    public record PageSpec(String pageId, String token, String name, String instagramId) {
    }

    /**
     * One WhatsApp Business number the emulator runs: its Graph node (phone number id), the number users see, its
     * WhatsApp Business Account, the bot's token, a name, and the helpdesk app that is its escalation partner.
     */
    public record NumberSpec(String phoneNumberId, String displayPhoneNumber, String wabaId, String token, String name,
            String helpdeskAppId) {
    }

    /** A webhook delivery owed to the bot, as Meta posts it, with the timeline entries of its events. */
    public record Delivery(ObjectNode body, List<Long> timelineIds) {
        /** The first entry's channel ({@code messaging} or {@code standby}). */
        public String channel() {
            var entry = body.path("entry").get(0);
            return entry.has(MESSAGING) ? MESSAGING : STANDBY;
        }

        /** The first entry's first event. */
        public ObjectNode event() {
            return (ObjectNode) body.path("entry").get(0).path(channel()).get(0);
        }
    }

    /** What the platform answers an action (HTTP status and JSON), and the deliveries to the bot it causes. */
    public record Outcome(int status, ObjectNode body, List<Delivery> deliveries) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final Map<String, MessengerPlatform> platforms = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, WhatsAppPlatform> numbers = new LinkedHashMap<>();
    private final Map<String, String> numberNames = new LinkedHashMap<>();
    private final Deque<ObjectNode> timeline = new ArrayDeque<>();
    private final LongSupplier realClock;
    private final String botAppId;
    private volatile long offsetMillis;
    private long nextId = 1;
    private long nextUser = 1;
    private long version;

    /** One Page, without Instagram. */
    public EmulatedPage(String pageId, String pageToken, String botAppId, String inboxAppId, Mode mode,
            LongSupplier realClock) {
        this(List.of(new PageSpec(pageId, pageToken, "Page", null)), botAppId, inboxAppId,
                MessengerPlatform.INSTAGRAM_INBOX_APP_ID, mode, realClock);
    }

    public EmulatedPage(List<PageSpec> pages, String botAppId, String inboxAppId, String instagramInboxAppId,
            Mode mode, LongSupplier realClock) {
        this.realClock = realClock;
        this.botAppId = botAppId;
        for (var page : pages) {
            platforms.put(page.pageId(), new MessengerPlatform(page.pageId(), page.token(), null, botAppId,
                    inboxAppId, page.instagramId(), instagramInboxAppId, Set.of(inboxAppId, instagramInboxAppId),
                    mode, this::now, false));
            names.put(page.pageId(), page.name());
        }
    }

    /** A WhatsApp Business number next to the Pages, under Conversation Routing: the bot its primary. */
    public synchronized void addNumber(NumberSpec spec) {
        var platform = new WhatsAppPlatform(new WhatsAppPlatform.PhoneNumber(spec.phoneNumberId(),
                spec.displayPhoneNumber(), spec.wabaId(), spec.token()), new WhatsAppPlatform.Apps(botAppId,
                        spec.helpdeskAppId(), null), this::now, false);
        numbers.put(spec.phoneNumberId(), platform);
        numberNames.put(spec.phoneNumberId(), spec.name());
        changed();
    }

    /** The first Page's id. */
    public synchronized String pageId() {
        return platforms.keySet().iterator().next();
    }

    /** Grows with every change; the page uses it to know when to fetch the state again. */
    public synchronized long version() {
        return version;
    }

    /**
     * The time zones of the accounts' business hours, for the clock's "set time of day"; the first is the one the page
     * shows times in (the first Page's).
     */
    private List<String> zones = List.of("UTC");

    public synchronized void zones(List<String> ids) {
        zones = List.copyOf(ids);
    }

    /** The zone the page shows the platform's time in: the first Page's. */
    public synchronized java.time.ZoneId zone() {
        return java.time.ZoneId.of(zones.get(0));
    }

    /** The platform's time; also the function's in dev mode (no lock: the function reads it on its own threads). */
    public long now() {
        return realClock.getAsLong() + offsetMillis;
    }

    /**
     * The clock shows {@code start} from now on, and runs from there: a tour that starts at the same hour of the same
     * weekday whenever it is taken. Before anything happened only: time never runs backwards on the platform.
     */
    public synchronized void startAt(java.time.Instant start) {
        if (nextId > 1) {
            throw new IllegalStateException("the clock is set before anything happens");
        }
        offsetMillis = start.toEpochMilli() - realClock.getAsLong();
        note("clock", "the clock starts at " + shown(now()), null, 0);
    }

    /**
     * The first {@code day} at {@code time} in {@code zone} from {@code now} on: within the coming week, so that the
     * platform's time stays close to the real one, and ahead of it, as the function's own clock is until it is the
     * platform's (a hold the platform gives 24 h has not lapsed for it).
     */
    public static java.time.Instant next(java.time.DayOfWeek day, java.time.LocalTime time, java.time.ZoneId zone,
            java.time.Instant now) {
        var at = now.atZone(zone).with(java.time.temporal.TemporalAdjusters.nextOrSame(day)).with(time);
        return (at.toInstant().isBefore(now) ? at.plusWeeks(1).with(time) : at).toInstant();
    }

    /** "Mon 09:30 Europe/Paris": a moment as the page shows it, in its zone. */
    synchronized String shown(long epochMillis) {
        return SHOWN.format(java.time.Instant.ofEpochMilli(epochMillis).atZone(zone())) + " " + zone().getId();
    }

    private static final java.time.format.DateTimeFormatter SHOWN = java.time.format.DateTimeFormatter.ofPattern(
            "EEE d MMM HH:mm", java.util.Locale.ENGLISH);

    // --- the people -------------------------------------------------------------------------------------------

    /** Someone opens the Page's chat; without a name, one the page has not used yet. */
    public synchronized String addUser(String name) {
        return addUser(name, pageId());
    }

    /**
     * Someone opens a chat with {@code accountId}: a Page (Messenger) or a Page's linked Instagram account (direct
     * messages; their id an IGSID). Every user's id is unique across the accounts.
     */
    public synchronized String addUser(String name, String accountId) {
        var chosen = nameFor(name, NAMES);
        for (var platform : platforms.values()) {
            boolean instagram = accountId.equals(platform.instagramId());
            if (instagram || accountId.equals(platform.pageId())) {
                var psid = Long.toString((instagram ? 8_000_000_000_000_000L : 7_000_000_000_000_000L) + nextUser++);
                platform.addUser(chosen, psid, instagram);
                changed();
                return psid;
            }
        }
        throw new IllegalArgumentException("no account " + accountId);
    }

    /** {@code name}, or without one a name of {@code pool} no user has yet. */
    private String nameFor(String name, List<String> pool) {
        if (name != null && !name.isBlank()) {
            return name.strip();
        }
        var taken = new HashSet<String>();
        platforms.values().forEach(p -> p.threads().forEach(t -> taken.add(t.name())));
        numbers.values().forEach(p -> p.threads().forEach(t -> taken.add(t.name())));
        return pool.stream().filter(n -> !taken.contains(n)).findFirst().orElse("User " + (taken.size() + 1));
    }

    public synchronized Outcome userSends(String psid, String text, String quickReplyPayload) {
        return apply(() -> platformOf(psid).userSends(psid, text, quickReplyPayload),
                (quickReplyPayload != null ? "quick reply " : "message ") + quote(text));
    }

    public synchronized Outcome userTaps(String psid, String title, String payload) {
        return apply(() -> platformOf(psid).userTaps(psid, title, payload), "postback " + quote(title));
    }

    /**
     * Each account's latest user writes {@code text} at the same moment, and Meta batches it: one delivery per kind of
     * account ({@code page}, {@code instagram}) holding an entry per account.
     */
    public synchronized Outcome everyAccountSays(String text) {
        var deliveries = new ArrayList<Delivery>();
        for (var platform : platforms.values()) {
            for (var instagram : platform.instagramId() == null ? List.of(false) : List.of(false, true)) {
                var latest = platform.threads().stream().filter(t -> t.instagram() == instagram)
                        .reduce((a, b) -> b);
                var psid = latest.isPresent() ? latest.get().psid()
                        : addUser(null, instagram ? platform.instagramId() : platform.pageId());
                var outcome = userSends(psid, text, null);
                if (!outcome.ok()) {
                    return outcome;
                }
                deliveries.addAll(outcome.deliveries());
            }
        }
        return new Outcome(200, JSON.objectNode().put("success", true), batched(deliveries));
    }

    public synchronized void agentOpens(String psid) {
        platformOf(psid).agentOpens(psid);
        changed();
    }

    public synchronized Outcome agentReplies(String psid, String text) {
        return apply(() -> platformOf(psid).agentReplies(psid, text), "the agent's reply " + quote(text));
    }

    /** Done, as a pass back to the bot or as a release without webhook. */
    public synchronized Outcome agentDone(String psid, Done how) {
        return apply(() -> platformOf(psid).agentDone(psid, how), how == Done.PASS_BACK ? "Done (pass back)"
                : "Done (release)");
    }

    public synchronized Outcome moveToInbox(String psid) {
        return apply(() -> platformOf(psid).moveToMain(psid), "move to Inbox");
    }

    // --- WhatsApp: a user's phone, and the helpdesk that is the number's escalation partner ---------------------

    /** The first WhatsApp number's id, {@code null} when there is none. */
    public synchronized String numberId() {
        return numbers.isEmpty() ? null : numbers.keySet().iterator().next();
    }

    /**
     * Someone starts a WhatsApp chat with the number {@code phoneNumberId} ({@code null}: the first): a phone number
     * of their own (their {@code wa_id}), unique across the numbers. Without a name, one no user has yet.
     */
    public synchronized String addWhatsAppUser(String name, String phoneNumberId) {
        var platform = phoneNumberId == null ? numbers.values().stream().findFirst().orElse(null)
                : numbers.get(phoneNumberId);
        if (platform == null) {
            throw new IllegalArgumentException(phoneNumberId == null ? "no WhatsApp number"
                    : "no WhatsApp number " + phoneNumberId);
        }
        var waId = Long.toString(16_505_550_000L + nextUser++);
        platform.addUser(nameFor(name, WHATSAPP_NAMES), waId, null);
        changed();
        return waId;
    }

    public synchronized Outcome whatsAppUserSends(String waId, String text) {
        return whatsApp(waId, p -> p.userSends(waId, text), "WhatsApp message " + quote(text));
    }

    /** The user taps reply button {@code buttonId} under message {@code messageId} (the bot's, with its buttons). */
    public synchronized Outcome whatsAppUserTaps(String waId, String messageId, String buttonId) {
        return whatsApp(waId, p -> messageId == null ? p.userTaps(waId, buttonId) : p.userTaps(waId, messageId,
                buttonId), "WhatsApp reply button " + quote(buttonTitle(waId, buttonId)));
    }

    /** An agent of the helpdesk answers: a Service message, which takes the thread when the helpdesk lacks it. */
    public synchronized Outcome helpdeskReplies(String waId, String text) {
        return whatsApp(waId, p -> p.agentReplies(waId, text), "the helpdesk's reply " + quote(text));
    }

    /** The helpdesk's Done: the thread back to the bot by a pass ({@code control_passed}), or released, silently. */
    public synchronized Outcome helpdeskDone(String waId, WhatsAppPlatform.Done how) {
        return whatsApp(waId, p -> p.agentDone(waId, how), how == WhatsAppPlatform.Done.PASS_BACK
                ? "the helpdesk's Done (pass back)" : "the helpdesk's Done (release)");
    }

    private Outcome whatsApp(String waId, java.util.function.Function<WhatsAppPlatform, WhatsAppPlatform.Answer> action,
            String what) {
        var platform = numberOf(waId);
        if (platform == null) {
            return new Outcome(404, JSON.objectNode().put("error", "no WhatsApp user " + waId), List.of());
        }
        var answer = action.apply(platform);
        if (answer.ok()) {
            note("action", what, null, 0);
        }
        return outcome(platform, answer);
    }

    /** What a WhatsApp event is, without the field it came on: "statuses", "message_echoes", "control_passed". */
    private static String shortKind(WhatsAppPlatform.Event event) {
        return event.kind().replaceFirst("^standby\\.", "");
    }

    private String buttonTitle(String waId, String buttonId) {
        var platform = numberOf(waId);
        if (platform != null && platform.knows(waId)) {
            for (var line : platform.thread(waId).lines()) {
                for (var button : line.path("buttons")) {
                    if (button.path("id").asText().equals(buttonId)) {
                        return button.path("title").asText();
                    }
                }
            }
        }
        return buttonId;
    }

    private WhatsAppPlatform numberOf(String waId) {
        return numbers.values().stream().filter(p -> p.knows(waId)).findFirst().orElse(null);
    }

    /** The owner WhatsApp holds for a user ({@code null}: idle). */
    public synchronized String whatsAppOwnerOf(String waId) {
        var platform = numberOf(waId);
        return platform == null ? null : platform.ownerOf(waId);
    }

    /**
     * WhatsApp's events: the bot's become deliveries to post; the helpdesk's are noted as its side of the story (but
     * the statuses of messages, its own and the copies of the bot's, which would only crowd the timeline).
     */
    private Outcome outcome(WhatsAppPlatform platform, WhatsAppPlatform.Answer answer) {
        var deliveries = new ArrayList<Delivery>();
        for (var event : answer.events()) {
            if (botAppId.equals(event.appId())) {
                var entry = note("webhook", "to the bot on " + event.field() + ": " + shortKind(event)
                        + " (WhatsApp " + platform.phoneNumberId() + ")", event.delivery(), 0);
                deliveries.add(new Delivery(event.delivery(), List.of(entry.path("id").asLong())));
            } else if (!event.kind().endsWith("statuses")) {
                note("helpdesk", "to " + platform.appName(event.appId()) + " on " + event.field() + ": "
                        + shortKind(event), event.value(), 0);
            }
        }
        changed();
        return new Outcome(answer.status(), answer.body(), deliveries);
    }

    /** A Page admin sets or clears the default app, on every Page here. */
    public synchronized void mode(Mode mode) {
        platforms.values().forEach(p -> p.mode(mode));
        note("platform", mode == Mode.ROUTING ? "Conversation Routing: the bot is the Pages' default app"
                : "Default behaviour: no default app", null, 0);
    }

    /** Time passes: control of quiet threads expires, messaging windows close. */
    public synchronized void advance(Duration by) {
        offsetMillis += by.toMillis();
        platforms.values().forEach(MessengerPlatform::threads); // expirations are noticed now, and noted
        numbers.values().forEach(WhatsAppPlatform::threads);
        note("clock", "+" + describe(by) + ": now " + shown(now()), null, 0);
    }

    /**
     * Time passes until the clock shows {@code time} in {@code zone}: on {@code day} ({@code null}: any day), the
     * first such moment ahead (today if it is still to come). To watch a hand-over outside business hours, or the
     * team coming back on a given day. Returns how far the clock moved.
     */
    public synchronized Duration advanceTo(java.time.DayOfWeek day, java.time.LocalTime time, java.time.ZoneId zone) {
        var current = java.time.Instant.ofEpochMilli(now()).atZone(zone);
        var target = current.with(time);
        while (!target.isAfter(current) || (day != null && target.getDayOfWeek() != day)) {
            target = target.plusDays(1).with(time);
        }
        var by = Duration.between(current, target);
        offsetMillis += by.toMillis();
        platforms.values().forEach(MessengerPlatform::threads);
        numbers.values().forEach(WhatsAppPlatform::threads);
        note("clock", "to " + (day == null ? "" : day.getDisplayName(java.time.format.TextStyle.SHORT,
                java.util.Locale.ENGLISH) + " ") + time + " " + zone.getId() + " (+" + describe(by) + "): now "
                + shown(now()), null, 0);
        return by;
    }

    /** The same, on any day. */
    public synchronized Duration advanceTo(java.time.LocalTime time, java.time.ZoneId zone) {
        return advanceTo(null, time, zone);
    }

    /** An alert the function published to SNS, on the timeline: what the team would read. */
    public synchronized void alert(String subject, String message) {
        note("alert", subject, JSON.objectNode().put("message", message), 200);
    }

    /** What the sweep did after the clock moved, on the timeline ("nothing due" too); a failed sweep in red. */
    public synchronized void swept(String what, boolean ok) {
        note("sweep", what, null, ok ? 200 : 500);
    }

    // --- Graph, as the bot calls it -----------------------------------------------------------------------------

    /** One Graph call on {@code /{version}/{node}[/{edge}]}, recorded on the timeline before the deliveries it causes. */
    public synchronized Outcome graph(String method, String node, String edge, String token, JsonNode body,
            Map<String, String> query) {
        var detail = JSON.objectNode();
        detail.set("request", body != null ? body : JSON.objectNode().setAll(objectOf(query)));
        var number = numbers.get(node);
        var action = number != null && "thread_control".equals(edge) && body != null && body.path("action").isTextual()
                ? " (" + body.path("action").asText() + ")" : "";
        var entry = note("graph", method + " " + node + "/" + (edge == null ? "?" + query.getOrDefault("fields", "")
                : edge) + action, detail, 0);
        if (number != null) {
            var answer = number.graph(method, node, edge, token, body, query);
            entry.put("status", answer.status()).set("detail", detail.set("response", answer.body()));
            return outcome(number, answer);
        }
        var platform = platforms.values().stream().filter(p -> p.hasToken(token)).findFirst()
                .orElse(platforms.values().iterator().next());
        var answer = platform.graph(method, node, edge, token, body, query);
        entry.put("status", answer.status()).set("detail", detail.set("response", answer.body()));
        return outcome(answer);
    }

    // --- views -------------------------------------------------------------------------------------------------

    /** Everything the page shows, as JSON: accounts, conversations with folder, owner and history, the timeline. */
    public synchronized ObjectNode snapshot() {
        var first = platforms.values().iterator().next();
        var s = JSON.objectNode().put("version", version).put("pageId", first.pageId()).put("botAppId", botAppId)
                .put("inboxAppId", first.inboxAppId())
                .put("mode", first.mode() == Mode.ROUTING ? "routing" : "default-behaviour").put("now", now())
                .put("controlLastsSeconds", MessengerPlatform.CONTROL_LASTS.toSeconds())
                .put("zone", zone().getId());
        var z = s.putArray("zones");
        zones.forEach(z::add);
        var accounts = s.putArray("accounts");
        var list = s.putArray("conversations");
        for (var platform : platforms.values()) {
            var name = names.get(platform.pageId());
            accounts.addObject().put("id", platform.pageId()).put("platform", "messenger").put("name", name)
                    .put("inbox", "Page Inbox").put("inboxAppId", platform.inboxAppId());
            if (platform.instagramId() != null) {
                accounts.addObject().put("id", platform.instagramId()).put("platform", "instagram")
                        .put("page", platform.pageId()).put("name", name).put("inbox", "Instagram Inbox")
                        .put("inboxAppId", platform.instagramInboxAppId());
            }
            for (var t : platform.threads()) {
                var owner = t.owner();
                var role = owner == null ? "idle" : owner.equals(botAppId) ? "bot"
                        : owner.equals(platform.inboxOf(t)) ? "inbox" : "other";
                list.addObject().put("psid", t.psid()).put("name", t.name())
                        .put("account", t.instagram() ? platform.instagramId() : platform.pageId())
                        .put("platform", t.instagram() ? "instagram" : "messenger").put("owner", owner)
                        .put("role", role)
                        .put("expiresAt", t.expiresAt())
                        .put("folder", t.folder() == MessengerPlatform.Folder.MAIN ? "inbox" : "done")
                        .put("notified", t.unread())
                        // What the Inbox's notification lists: unread, and the Inbox holds it (a hand-over that
                        // lapsed, or a thread the bot took back, needs nobody any more).
                        .put("needsPerson", t.unread() && role.equals("inbox"))
                        .set("messages", t.lines().deepCopy());
            }
        }
        var numbersOut = s.putArray("numbers");
        var chats = s.putArray("whatsapp");
        for (var platform : numbers.values()) {
            var number = platform.number();
            numbersOut.addObject().put("id", number.phoneNumberId()).put("name", numberNames.get(
                    number.phoneNumberId())).put("display", number.displayPhoneNumber()).put("wabaId",
                            number.wabaId()).put("helpdeskAppId", platform.apps().escalation());
            for (var t : platform.threads()) {
                var owner = t.owner();
                var role = owner == null ? "idle" : owner.equals(botAppId) ? "bot"
                        : owner.equals(platform.apps().escalation()) ? "helpdesk" : "other";
                // The customer service window and the idle timeout both run 24 h from the user's last message.
                long until = t.userWroteAt() == 0 ? 0 : t.userWroteAt() + WhatsAppPlatform.SERVICE_WINDOW.toMillis();
                chats.addObject().put("waId", t.waId()).put("name", t.name()).put("number", number.phoneNumberId())
                        .put("owner", owner).put("role", role)
                        .put("windowClosesAt", until)
                        .put("windowOpen", until > now())
                        .put("idleAt", owner == null || t.userWroteAt() == 0 ? 0
                                : t.userWroteAt() + WhatsAppPlatform.IDLE_AFTER.toMillis())
                        .set("messages", t.lines().deepCopy());
            }
        }
        var events = s.putArray("timeline");
        timeline.forEach(events::add);
        return s;
    }

    // --- the bot's backend -------------------------------------------------------------------------------------

    /**
     * A call to the bot's backend begins (the function asks its http bot, Lex or Bedrock): on the timeline at once,
     * "asking" until {@link #botAnswered} says how it ended. Returns the entry's id.
     */
    public synchronized long botAsked(String title, JsonNode request) {
        return note("bot", title, JSON.objectNode().set("request", request), 0).path("id").asLong();
    }

    /**
     * How a call to the bot's backend ended: the status the backend answered (-1: no answer at all), after how long,
     * what it answered, and the entry's title now.
     */
    public synchronized void botAnswered(long id, String title, int status, long millis, JsonNode response) {
        for (var entry : timeline) {
            if (entry.path("id").asLong() == id) {
                entry.put("title", clip(title)).put("status", status).put("millis", millis);
                ((ObjectNode) entry.get("detail")).set("response", response);
            }
        }
        changed();
    }

    /** Something the platform did that is no one's action: a setting, the function reading the Pages secret. */
    public synchronized void platformNote(String what, JsonNode detail) {
        note("platform", what, detail, 0);
    }

    public synchronized String ownerOf(String psid) {
        return platformOf(psid).ownerOf(psid);
    }

    /** Records what became of a webhook delivery: the function's status, or -1 when it could not be reached. */
    public synchronized void delivered(List<Long> timelineIds, int status, long millis) {
        for (var entry : timeline) {
            if (timelineIds.contains(entry.path("id").asLong())) {
                entry.put("status", status).put("millis", millis);
            }
        }
        changed();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private MessengerPlatform platformOf(String psid) {
        return platforms.values().stream().filter(p -> p.knows(psid)).findFirst()
                .orElse(platforms.values().iterator().next());
    }

    private Outcome apply(Supplier<Answer> action, String what) {
        var answer = action.get();
        if (answer.ok()) {
            note("action", what, null, 0);
        }
        return outcome(answer);
    }

    /** The bot's events become deliveries to post; the Inboxes' are noted, as their side of the story. */
    private Outcome outcome(Answer answer) {
        var deliveries = new ArrayList<Delivery>();
        for (var event : answer.events()) {
            if (botAppId.equals(event.appId())) {
                var entry = note("webhook", "to the bot on " + event.channel() + " (" + event.object() + " "
                        + event.entryId() + "): " + event.kind(), event.body(), 0);
                deliveries.add(new Delivery(event.delivery(), List.of(entry.path("id").asLong())));
            } else {
                note("inbox", "to " + appName(event) + " on " + event.channel() + ": " + event.kind(), event.body(),
                        0);
            }
        }
        changed();
        return new Outcome(answer.status(), answer.body(), deliveries);
    }

    /** Deliveries of the same kind of account in one, with an entry each, as Meta batches them. */
    private static List<Delivery> batched(List<Delivery> deliveries) {
        var byObject = new LinkedHashMap<String, Delivery>();
        for (var d : deliveries) {
            var object = d.body().path("object").asText();
            var merged = byObject.get(object);
            if (merged == null) {
                byObject.put(object, new Delivery(d.body().deepCopy(), new ArrayList<>(d.timelineIds())));
            } else {
                ((com.fasterxml.jackson.databind.node.ArrayNode) merged.body().get("entry"))
                        .addAll((com.fasterxml.jackson.databind.node.ArrayNode) d.body().get("entry"));
                merged.timelineIds().addAll(d.timelineIds());
            }
        }
        return List.copyOf(byObject.values());
    }

    private String appName(Event event) {
        return platforms.values().stream().filter(p -> event.entryId().equals(p.pageId())
                || event.entryId().equals(p.instagramId())).findFirst().map(p -> p.appName(event.appId()))
                .orElse("app " + event.appId());
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
        var out = new LinkedHashMap<String, JsonNode>();
        query.forEach((k, v) -> out.put(k, JSON.textNode(v)));
        return out;
    }

    /** "10 min", "1 h", "13 h 30 min", "6 d 23 h 30 min". */
    static String describe(Duration d) {
        var parts = new ArrayList<String>();
        if (d.toDays() > 0) {
            parts.add(d.toDays() + " d");
        }
        if (d.toHoursPart() > 0) {
            parts.add(d.toHoursPart() + " h");
        }
        if (d.toMinutesPart() > 0 || parts.isEmpty()) {
            parts.add(d.toMinutesPart() + " min");
        }
        return String.join(" ", parts);
    }

    private void changed() {
        version++;
    }
}
