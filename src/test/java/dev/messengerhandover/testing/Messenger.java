package dev.messengerhandover.testing;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.webhook.SignatureVerifier;
import io.restassured.response.Response;

/**
 * Builds webhook deliveries the way Messenger sends them (envelope, entries, messaging / standby arrays) and posts them
 * signed with the app secret, non-ASCII escaped as lowercase {@code \\uXXXX} like Meta's own serialisation.
 */
public final class Messenger {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The conversations' clock: from the real time on (the operator API reads expirations against it), a second per
     * event, and moved by {@link #advance} across the platform's 24 h limits.
     */
    private static final AtomicLong CLOCK = new AtomicLong(System.currentTimeMillis());
    private static final SignatureVerifier SIGNER = new SignatureVerifier(Platform.APP_SECRET);

    private Messenger() {
    }

    public static String newUser() {
        return Long.toString(7_000_000_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
    }

    public static long tick() {
        return CLOCK.addAndGet(1000);
    }

    /** The conversations' clock, which the Graph stand-in shares. */
    public static long now() {
        return CLOCK.get();
    }

    /** Time passes for everyone (or, negative, a conversation starts in the past): the platform's 24 h limits. */
    public static void advance(java.time.Duration by) {
        CLOCK.addAndGet(by.toMillis());
    }

    /** Time is {@code epochMillis} now, for everyone (the function's clock is this one): returns it. */
    public static long at(long epochMillis) {
        CLOCK.set(epochMillis);
        return epochMillis;
    }

    /** Back to the real time at least, after a test that started its conversation in the past. */
    public static void resetClock() {
        CLOCK.accumulateAndGet(System.currentTimeMillis(), Math::max);
    }

    /** One event, to be placed on the {@code messaging} or {@code standby} channel of an entry. */
    public static ObjectNode event(String from, String to) {
        var e = JSON.createObjectNode();
        e.putObject("sender").put("id", from);
        e.putObject("recipient").put("id", to);
        e.put("timestamp", tick());
        return e;
    }

    public static ObjectNode text(String psid, String text) {
        return textTo(Platform.PAGE_ID, psid, text);
    }

    /** A user's message to another account: a second Page, or an Instagram account (the recipient is its id). */
    public static ObjectNode textTo(String accountId, String psid, String text) {
        var e = event(psid, accountId);
        e.putObject("message").put("mid", "m_" + UUID.randomUUID()).put("text", text);
        return e;
    }

    public static ObjectNode quickReply(String psid, String title, String payload) {
        var e = text(psid, title);
        ((ObjectNode) e.get("message")).putObject("quick_reply").put("payload", payload);
        return e;
    }

    public static ObjectNode postback(String psid, String title, String payload) {
        var e = event(psid, Platform.PAGE_ID);
        var p = e.putObject("postback").put("mid", "m_" + UUID.randomUUID()).put("title", title);
        if (payload != null) {
            p.put("payload", payload);
        }
        return e;
    }

    /** A copy of a message the Page sent, as Messenger echoes it: sender is the Page, {@code app_id} the sender app. */
    public static ObjectNode echo(String psid, String appId, String text) {
        var e = event(Platform.PAGE_ID, psid);
        e.putObject("message").put("is_echo", true).put("app_id", Long.parseLong(appId))
                .put("mid", "m_" + UUID.randomUUID()).put("text", text);
        return e;
    }

    public static ObjectNode passThreadControl(String psid, String newOwner, String previousOwner, String metadata) {
        var e = event(psid, Platform.PAGE_ID);
        var p = e.putObject("pass_thread_control").put("new_owner_app_id", newOwner);
        if (previousOwner != null) {
            p.put("previous_owner_app_id", previousOwner);
        }
        p.put("metadata", metadata);
        return e;
    }

    public static ObjectNode takeThreadControl(String psid, String previousOwner, String newOwner) {
        var e = event(psid, Platform.PAGE_ID);
        e.putObject("take_thread_control").put("previous_owner_app_id", previousOwner)
                .put("new_owner_app_id", newOwner).put("metadata", "taken");
        return e;
    }

    public static ObjectNode requestThreadControl(String psid, String requester) {
        var e = event(psid, Platform.PAGE_ID);
        e.putObject("request_thread_control").put("requested_owner_app_id", requester).put("metadata", "please");
        return e;
    }

    public static ObjectNode read(String psid) {
        var e = event(psid, Platform.PAGE_ID);
        e.putObject("read").put("watermark", tick());
        return e;
    }

    /** A delivery receipt for a message the Page sent. */
    public static ObjectNode receipt(String psid) {
        var e = event(psid, Platform.PAGE_ID);
        e.putObject("delivery").put("watermark", tick()).putArray("mids").add("m_" + UUID.randomUUID());
        return e;
    }

    /** A delivery with one entry holding {@code events} on {@code channel} ("messaging" or "standby"). */
    public static String delivery(String channel, ObjectNode... events) {
        return delivery(List.of(entry(channel, events)));
    }

    public static ObjectNode entry(String channel, ObjectNode... events) {
        return entryOf(Platform.PAGE_ID, channel, events);
    }

    /** An entry of another account: its id is the Page's, or the Instagram account's. */
    public static ObjectNode entryOf(String accountId, String channel, ObjectNode... events) {
        var entry = JSON.createObjectNode();
        entry.put("id", accountId).put("time", tick());
        ArrayNode list = entry.putArray(channel);
        for (var e : events) {
            list.add(e);
        }
        return entry;
    }

    public static String delivery(List<ObjectNode> entries) {
        return delivery("page", entries);
    }

    /** A delivery of {@code object} {@code page} (Messenger) or {@code instagram}. */
    public static String delivery(String object, List<ObjectNode> entries) {
        var root = JSON.createObjectNode();
        root.put("object", object);
        root.putArray("entry").addAll(entries);
        return escapeNonAscii(root.toString());
    }

    /** Meta's serialisation: every non-ASCII UTF-16 unit as lowercase {@code \\uXXXX}. */
    public static String escapeNonAscii(String json) {
        return dev.messengerhandover.dev.emulator.Emulator.escapeNonAscii(json);
    }

    public static String signature(String body) {
        return SIGNER.header(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * POSTs the body signed, through the Lambda mock event server, and returns the answer. The Graph stand-in hears
     * the user's messages first, as the platform does (their messaging window runs from them).
     */
    public static Response post(String body) {
        tellThePlatform(body);
        return given().contentType("application/json").header("X-Hub-Signature-256", signature(body))
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhook");
    }

    private static void tellThePlatform(String body) {
        var graph = Platform.graph();
        if (graph == null) {
            return;
        }
        try {
            var root = JSON.readTree(body);
            var object = root.path("object").asText();
            if (dev.messengerhandover.dev.platform.WhatsAppPlatform.OBJECT.equals(object)) {
                // WhatsApp: the owner's messages say the user wrote (their window runs from them)
                for (var change : root.path("entry").path(0).path("changes")) {
                    for (var m : change.path("value").path("messages")) {
                        graph.userWroteOnWhatsApp(change.path("value").path("metadata").path("phone_number_id")
                                .asText(), m.path("from").asText(), m.path("timestamp").asLong() * 1000);
                    }
                }
                return;
            }
            for (var entry : root.path("entry")) {
                for (var channel : List.of("messaging", "standby")) {
                    for (var event : entry.path(channel)) {
                        boolean fromUser = event.has("postback")
                                || event.has("message") && !event.path("message").path("is_echo").asBoolean();
                        if (fromUser) {
                            graph.userWrote(object, entry.path("id").asText(), event.path("sender").path("id").asText(),
                                    event.path("timestamp").asLong());
                        }
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException notADelivery) {
            // malformed on purpose: nothing for the platform to hear
        }
    }

    public static void deliver(String channel, ObjectNode... events) {
        post(delivery(channel, events)).then().statusCode(200);
    }
}
