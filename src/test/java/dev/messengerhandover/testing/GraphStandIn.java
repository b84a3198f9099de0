package dev.messengerhandover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import dev.messengerhandover.dev.platform.MessengerPlatform;
import dev.messengerhandover.dev.platform.WhatsAppPlatform;

/**
 * An HTTP stand-in for the Graph API's Messenger endpoints, on the same model of the platform as the dev-mode emulator
 * ({@link MessengerPlatform}: Conversation Routing with the bot as default app, or default behaviour), so the two
 * cannot drift apart. It speaks Graph's wire format (paths, JSON bodies, the {@code {"error":{...}}} shape and status
 * codes), records every call, and can be told to fail, hang or slow down. It is not told about every user message:
 * a user it has not heard of is one who wrote just now ({@link #userWrote} says otherwise).
 * <p>
 * It serves WhatsApp Business numbers next to the Pages, on {@link WhatsAppPlatform} ({@link #addWhatsApp}): a call
 * whose node is one of their phone number ids ({@code /{version}/{phone-number-id}/messages|thread_control}) goes to
 * that number, with its token checked; the webhook events those calls cause are kept ({@link #waEvents}).
 */
public final class GraphStandIn implements AutoCloseable {

    public static final String INBOX_APP_ID = MessengerPlatform.PAGE_INBOX_APP_ID;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request as Graph received it ({@code node}: the Page id, {@code me}, or a WhatsApp phone number id), and the
     * status it answered.
     */
    public record Call(String method, String node, String endpoint, String query, String authorization, JsonNode body,
            int status, JsonNode answer) {
        /** The user the call is for: a PSID or IGSID, or on WhatsApp the {@code to} (or BSUID {@code recipient}). */
        public String psid() {
            if (body != null && body.has("to")) {
                return body.path("to").asText();
            }
            if (body != null && body.has("recipient")) {
                var recipient = body.path("recipient");
                return recipient.isTextual() ? recipient.asText() : recipient.path("id").asText();
            }
            return GraphStandIn.query(query).get("recipient");
        }

        /** A call to the WhatsApp Cloud API (its body says {@code messaging_product: whatsapp}). */
        public boolean whatsApp() {
            return body != null && "whatsapp".equals(body.path("messaging_product").asText(null));
        }

        /** The {@code appsecret_proof} the call carried, or {@code null}. */
        public String appsecretProof() {
            return GraphStandIn.query(query).get("appsecret_proof");
        }

        public boolean ok() {
            return status == 200;
        }

        /**
         * A hand-over: {@code pass_thread_control}, a message carrying {@code thread_control: pass}, or on WhatsApp a
         * {@code thread_control} with {@code action: pass}.
         */
        public boolean passes() {
            return endpoint.equals("pass_thread_control") || endpoint.equals("messages") && body != null
                    && "pass".equals(body.path("thread_control").path("control_type").asText(null))
                    || endpoint.equals("thread_control") && body != null
                    && "pass".equals(body.path("action").asText(null));
        }

        /** The id Graph gave the message this call sent ({@code null}: none); on WhatsApp its {@code wamid}. */
        public String messageId() {
            if (answer == null) {
                return null;
            }
            return answer.has("messages") ? answer.path("messages").path(0).path("id").asText(null)
                    : answer.path("message_id").asText(null);
        }

        /**
         * The app a hand-over went to; on WhatsApp the role, which is all a pass names ({@code escalation} when it
         * names none, as the bot's passes go).
         */
        public String passedTo() {
            if (endpoint.equals("thread_control")) {
                return body.path("control_pass").path("target_role").asText(WhatsAppPlatform.ESCALATION);
            }
            return endpoint.equals("pass_thread_control") ? body.path("target_app_id").asText(null)
                    : body.path("thread_control").path("app_id").asText(null);
        }
    }

    /** A scripted failure for the next matching call. */
    public record Fault(String endpoint, int status, String body, long delayMillis, boolean reset, boolean applyFirst) {
    }

    /** One Page the stand-in serves: its id, token, and linked Instagram account ({@code null}: none). */
    public record Page(String pageId, String token, String instagramId) {
    }

    /**
     * One WhatsApp Business number the stand-in serves, the bot (this stand-in's app) its primary for Service, with
     * its escalation partner (the helpdesk) and standby partner ({@code null}: none).
     */
    public record WhatsAppNumber(WhatsAppPlatform.PhoneNumber number, String escalationAppId, String standbyAppId) {
    }

    private final LocalHttpServer server;
    private final List<Page> pages = new ArrayList<>();
    private final String appSecret;
    private final String botAppId;
    private final Set<String> connectedApps;
    private final LongSupplier clock;
    /** By Page id, in the order given; the first also takes calls with a token nobody has. */
    private final Map<String, MessengerPlatform> platforms = new java.util.LinkedHashMap<>();
    private final List<WhatsAppNumber> whatsAppNumbers = new ArrayList<>();
    /** By phone number id, in the order added. */
    private final Map<String, WhatsAppPlatform> whatsApp = new java.util.LinkedHashMap<>();
    private final List<WhatsAppPlatform.Event> whatsAppEvents = new ArrayList<>();
    private MessengerPlatform.Mode mode = MessengerPlatform.Mode.ROUTING;
    private final List<Call> calls = new ArrayList<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private volatile long latencyMillis;

    public GraphStandIn(String token, String botAppId, Set<String> connectedApps) {
        this(Platform.PAGE_ID, token, botAppId, connectedApps, System::currentTimeMillis);
    }

    public GraphStandIn(String pageId, String token, String botAppId, Set<String> connectedApps, LongSupplier clock) {
        this(List.of(new Page(pageId, token, null)), null, botAppId, connectedApps, clock);
    }

    /**
     * Several Pages of one app. With {@code appSecret} the app requires it: every call must carry the right
     * {@code appsecret_proof} for its token.
     */
    public GraphStandIn(List<Page> pages, String appSecret, String botAppId, Set<String> connectedApps,
            LongSupplier clock) {
        this.pages.addAll(pages);
        this.appSecret = appSecret;
        this.botAppId = botAppId;
        // The Instagram Inbox too: a user the stand-in was not told about may be an Instagram one.
        var connected = new java.util.HashSet<>(connectedApps);
        connected.add(MessengerPlatform.INSTAGRAM_INBOX_APP_ID);
        this.connectedApps = Set.copyOf(connected);
        this.clock = clock;
        newPlatforms();
        server = new LocalHttpServer("graph-stand-in", "/", this::handle);
    }

    private void newPlatforms() {
        platforms.clear();
        pages.forEach(this::newPlatform);
        whatsApp.clear();
        whatsAppNumbers.forEach(this::newWhatsApp);
        synchronized (whatsAppEvents) {
            whatsAppEvents.clear();
        }
    }

    private void newWhatsApp(WhatsAppNumber n) {
        whatsApp.put(n.number().phoneNumberId(), new WhatsAppPlatform(n.number(),
                new WhatsAppPlatform.Apps(botAppId, n.escalationAppId(), n.standbyAppId()), clock, true));
    }

    /**
     * Serves a WhatsApp Business number too, on the same server: its calls are told apart by their node, the phone
     * number id. Kept across {@link #reset}. Returns this stand-in.
     */
    public synchronized GraphStandIn addWhatsApp(WhatsAppNumber number) {
        whatsAppNumbers.add(number);
        newWhatsApp(number);
        return this;
    }

    /**
     * Serves one more Page of the same app, on the same server (its calls told apart by token and node, as the first
     * ones'). Kept across {@link #reset}. Returns this stand-in.
     */
    public synchronized GraphStandIn addPage(Page page) {
        pages.add(page);
        newPlatform(page);
        return this;
    }

    private void newPlatform(Page page) {
        platforms.put(page.pageId(), new MessengerPlatform(page.pageId(), page.token(), appSecret, botAppId,
                INBOX_APP_ID, page.instagramId(), MessengerPlatform.INSTAGRAM_INBOX_APP_ID, connectedApps, mode,
                clock, true));
    }

    /** The WhatsApp number that holds this user's thread (a user it never heard of: the first number's). */
    private WhatsAppPlatform whatsAppOf(String waId) {
        if (whatsApp.isEmpty()) {
            throw new IllegalStateException("the stand-in serves no WhatsApp number: addWhatsApp first");
        }
        for (var number : whatsApp.values()) {
            if (number.knows(waId)) {
                return number;
            }
        }
        return whatsApp.values().iterator().next();
    }

    /** The Page that holds this user's thread (a user the stand-in never heard of: the first Page's). */
    private MessengerPlatform platformOf(String psid) {
        for (var platform : platforms.values()) {
            if (platform.knows(psid)) {
                return platform;
            }
        }
        return platforms.values().iterator().next();
    }

    /** The Page a call's token belongs to (a token nobody has: the first Page, which refuses it with 190). */
    private MessengerPlatform platformOfToken(String bearer) {
        for (var platform : platforms.values()) {
            if (platform.hasToken(bearer)) {
                return platform;
            }
        }
        return platforms.values().iterator().next();
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    // --- what tests look at ----------------------------------------------------------------------------------------

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(String psid) {
        return calls().stream().filter(c -> psid.equals(c.psid())).toList();
    }

    public List<Call> calls(String psid, String endpoint) {
        return calls(psid).stream().filter(c -> c.endpoint().equals(endpoint)).toList();
    }

    /**
     * Every call made for this user, in order, as {@code status METHOD endpoint body-or-query} with the user's id
     * written {@code {user}}: two users with equal lists got the same effects from Graph.
     */
    public List<String> effects(String psid) {
        return calls(psid).stream().map(c -> c.status() + " " + c.method() + " " + c.endpoint() + " "
                + (c.body() != null ? c.body().toString() : "recipient=" + c.psid()).replace(psid, "{user}"))
                .toList();
    }

    /** Texts of the messages Graph accepted for this user, in order (WhatsApp: a text's or reply buttons' body). */
    public List<String> sentTexts(String psid) {
        return calls(psid, "messages").stream().filter(Call::ok)
                .map(c -> c.whatsApp() ? c.body().path("text").path("body")
                        .asText(c.body().path("interactive").path("body").path("text").asText())
                        : c.body().path("message").path("text").asText())
                .toList();
    }

    /** The owning app for this user, {@code null} when idle. */
    public synchronized String ownerOf(String psid) {
        return platformOf(psid).ownerOf(psid);
    }

    /** Moves the thread without a webhook, as the platform can (the Inbox's Done as a release: {@code null}). */
    public synchronized void setOwner(String psid, String appId) {
        platformOf(psid).setOwner(psid, appId);
    }

    /** The platform heard the user write at {@code at} (the tests' Messenger tells it). */
    public synchronized void userWrote(String psid, long at) {
        platformOf(psid).userWrote(psid, at);
    }

    /**
     * The platform heard a user of entry {@code entryId} write: a Page, or a Page's linked Instagram account
     * ({@code object} {@code instagram}).
     */
    public synchronized void userWrote(String object, String entryId, String psid, long at) {
        for (var platform : platforms.values()) {
            boolean instagram = "instagram".equals(object) && entryId.equals(platform.instagramId());
            if (instagram || !"instagram".equals(object) && entryId.equals(platform.pageId())) {
                platform.userWrote(psid, at, instagram);
                return;
            }
        }
        platformOf(psid).userWrote(psid, at);
    }

    /** A Page's (or a WhatsApp number's) token is revoked or rotated: calls with the old one get 190 from now on. */
    public synchronized void token(String pageId, String token) {
        if (whatsApp.containsKey(pageId)) {
            whatsApp.get(pageId).token(token);
            return;
        }
        platforms.get(pageId).token(token);
    }

    // --- WhatsApp ------------------------------------------------------------------------------------------------

    /** The app that owns this WhatsApp user's thread, {@code null} when idle. */
    public synchronized String waOwnerOf(String waId) {
        return whatsAppOf(waId).ownerOf(waId);
    }

    /**
     * The WhatsApp number heard the user write at {@code at} (epoch millis): their customer service window runs from
     * then, and an idle thread went to the bot, the primary.
     */
    public synchronized void userWroteOnWhatsApp(String waId, long at) {
        whatsAppOf(waId).userWrote(waId, at);
    }

    /** The same, for a user of a given number (when the stand-in serves several). */
    public synchronized void userWroteOnWhatsApp(String phoneNumberId, String waId, long at) {
        whatsApp.get(phoneNumberId).userWrote(waId, at);
    }

    /**
     * Something happens on the first WhatsApp number, under the stand-in's lock: a user writes or taps, the helpdesk
     * replies, takes or is Done. The webhook events of an {@link WhatsAppPlatform.Answer} are kept with the others.
     */
    public <T> T onWhatsApp(Function<WhatsAppPlatform, T> action) {
        return onWhatsApp(null, action);
    }

    /** The same on the number {@code phoneNumberId} ({@code null}: the first). */
    public synchronized <T> T onWhatsApp(String phoneNumberId, Function<WhatsAppPlatform, T> action) {
        var number = phoneNumberId == null ? whatsAppOf("") : whatsApp.get(phoneNumberId);
        var result = action.apply(number);
        if (result instanceof WhatsAppPlatform.Answer answer) {
            keep(answer.events());
        }
        return result;
    }

    /** Every webhook event WhatsApp owes an app since the last {@link #reset}, in order. */
    public List<WhatsAppPlatform.Event> waEvents() {
        synchronized (whatsAppEvents) {
            return List.copyOf(whatsAppEvents);
        }
    }

    /** The events about this WhatsApp user. */
    public List<WhatsAppPlatform.Event> waEvents(String waId) {
        return waEvents().stream().filter(e -> waId.equals(e.waId())).toList();
    }

    /** The events about this WhatsApp user owed to {@code appId}. */
    public List<WhatsAppPlatform.Event> waEvents(String waId, String appId) {
        return waEvents(waId).stream().filter(e -> appId.equals(e.appId())).toList();
    }

    private void keep(List<WhatsAppPlatform.Event> events) {
        synchronized (whatsAppEvents) {
            whatsAppEvents.addAll(events);
        }
    }

    /** The Pages' routing: Conversation Routing with the bot as default app, or default behaviour. */
    public synchronized void mode(MessengerPlatform.Mode mode) {
        this.mode = mode;
        platforms.values().forEach(p -> p.mode(mode));
    }

    /** Every hand-over made for this user (a pass, or a message that passes), in order. */
    public List<Call> passes(String psid) {
        return calls(psid).stream().filter(Call::passes).toList();
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** Forgets every call, fault, thread and WhatsApp event; back to Conversation Routing. */
    public synchronized void reset() {
        synchronized (calls) {
            calls.clear();
        }
        faults.clear();
        mode = MessengerPlatform.Mode.ROUTING;
        newPlatforms();
        latencyMillis = 0;
    }

    /** Forgets the scripted failures not used yet. */
    public void clearFaults() {
        faults.clear();
    }

    /** The next call to {@code endpoint} answers {@code status} with Graph's error body. */
    public void failNext(String endpoint, int status, int code, boolean isTransient) {
        faults.add(new Fault(endpoint, status, error(code, 0, isTransient ? "(#" + code + ") Temporary failure"
                : "(#" + code + ") Invalid parameter", isTransient), 0, false, false));
    }

    public void fail(Fault fault) {
        faults.add(fault);
    }

    /** The next call to {@code endpoint} takes {@code millis} before answering normally. */
    public void hangNext(String endpoint, long millis) {
        faults.add(new Fault(endpoint, 0, null, millis, false, false));
    }

    /** The next call to {@code endpoint} has its connection cut without an answer. */
    public void resetNext(String endpoint) {
        faults.add(new Fault(endpoint, 0, null, 0, true, false));
    }

    // --- Graph ------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var uri = exchange.getRequestURI();
            var parts = uri.getPath().split("/");
            // /{version}/{node}/{endpoint}, or /{version}/{node} for the node itself
            var node = parts.length >= 3 ? parts[2] : "";
            var endpoint = parts.length == 4 ? parts[3] : parts.length == 3 ? node : uri.getPath();
            JsonNode body = null;
            try (InputStream in = exchange.getRequestBody()) {
                var bytes = in.readAllBytes();
                if (bytes.length > 0) {
                    try {
                        body = JSON.readTree(bytes);
                    } catch (IOException notJson) {
                        body = JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
            var auth = exchange.getRequestHeaders().getFirst("Authorization");
            var fault = takeFault(endpoint);
            long delay = latencyMillis + (fault != null ? fault.delayMillis() : 0);
            if (delay > 0) {
                sleep(delay);
            }
            Answer answer;
            if (fault != null && fault.reset()) {
                record(exchange.getRequestMethod(), endpoint, uri, auth, body, -1, null);
                return; // closing without a status line: the client sees the connection cut
            }
            if (fault != null && fault.status() > 0) {
                if (fault.applyFirst()) {
                    answer(exchange.getRequestMethod(), parts, uri, auth, body);
                }
                answer = new Answer(fault.status(), fault.body());
            } else {
                answer = answer(exchange.getRequestMethod(), parts, uri, auth, body);
            }
            record(exchange.getRequestMethod(), endpoint, uri, auth, body, answer.status(), json(answer.body()));
            var bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(String method, String[] parts, URI uri, String auth, JsonNode body) {
        if (parts.length < 3 || parts.length > 4) {
            return new Answer(400, error(100, 33, "Unsupported " + method + " request: " + uri.getPath(), false));
        }
        var bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        var number = whatsApp.get(parts[2]);
        if (number != null) {
            var answer = number.graph(method, parts[2], parts.length == 4 ? parts[3] : null, bearer, body,
                    query(uri.getRawQuery()));
            keep(answer.events());
            return new Answer(answer.status(), answer.body().toString());
        }
        var answer = platformOfToken(bearer).graph(method, parts[2], parts.length == 4 ? parts[3] : null, bearer,
                body, query(uri.getRawQuery()));
        return new Answer(answer.status(), answer.body().toString());
    }

    static Map<String, String> query(String raw) {
        var query = new java.util.HashMap<String, String>();
        if (raw != null) {
            for (var pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private Fault takeFault(String endpoint) {
        for (var it = faults.iterator(); it.hasNext();) {
            var f = it.next();
            if (f.endpoint() == null || f.endpoint().equals(endpoint)) {
                if (faults.removeFirstOccurrence(f)) {
                    return f;
                }
            }
        }
        return null;
    }

    private void record(String method, String endpoint, URI uri, String auth, JsonNode body, int status,
            JsonNode answer) {
        var parts = uri.getPath().split("/");
        synchronized (calls) {
            calls.add(new Call(method, parts.length >= 3 ? parts[2] : "", endpoint, uri.getQuery(), auth, body,
                    status, answer));
        }
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Graph's error JSON, as the platform model writes it, for scripted faults. */
    public static String error(int code, int subcode, String message, boolean isTransient) {
        var body = MessengerPlatform.graphError(code, subcode, message).body();
        if (isTransient) {
            ((ObjectNode) body.get("error")).put("is_transient", true);
        }
        return body.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Predicate<Call> endpoint(String name) {
        return c -> c.endpoint().equals(name);
    }
}
