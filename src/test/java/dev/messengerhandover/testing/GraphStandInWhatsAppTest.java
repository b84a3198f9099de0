package dev.messengerhandover.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.platform.WhatsAppPlatform;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.Done;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.Event;

/**
 * The Graph stand-in serving a WhatsApp number next to a Page, over HTTP: the Cloud API's paths, tokens, answers and
 * refusals, the calls recorded per user like Messenger's, and the webhooks the calls cause kept for tests to read.
 * And {@link WhatsApp}'s deliveries have the shapes the model delivers.
 */
class GraphStandInWhatsAppTest {

    static final String BOT = Platform.APP_ID;
    static final String PAGE_TOKEN = "page-token";
    static final ObjectMapper JSON = new ObjectMapper();

    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    final GraphStandIn graph = new GraphStandIn(Platform.PAGE_ID, PAGE_TOKEN, BOT, Set.of(GraphStandIn.INBOX_APP_ID),
            clock::get).addWhatsApp(new GraphStandIn.WhatsAppNumber(new WhatsAppPlatform.PhoneNumber(
                    Platform.WHATSAPP_NUMBER_ID, Platform.WHATSAPP_DISPLAY_NUMBER, Platform.WABA_ID,
                    Platform.WHATSAPP_TOKEN), Platform.HELPDESK_APP_ID, null));
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        graph.close();
    }

    @Test
    void aWhatsAppNumberIsServedOverHttpNextToThePage() throws Exception {
        var user = WhatsApp.newUser();
        graph.userWroteOnWhatsApp(user, clock.get());
        assertThat(graph.waOwnerOf(user)).isEqualTo(BOT);

        var sent = post("messages", Platform.WHATSAPP_TOKEN, text(user, "We open at 9"));
        assertThat(sent.statusCode()).isEqualTo(200);
        var wamid = json(sent).path("messages").get(0).path("id").asText();
        assertThat(wamid).startsWith("wamid.");
        assertThat(json(sent).path("contacts").get(0).path("wa_id").asText()).isEqualTo(user);
        assertThat(graph.calls(user)).singleElement().satisfies(c -> {
            assertThat(c.node()).isEqualTo(Platform.WHATSAPP_NUMBER_ID);
            assertThat(c.endpoint()).isEqualTo("messages");
            assertThat(c.whatsApp()).isTrue();
            assertThat(c.messageId()).isEqualTo(wamid);
        });
        assertThat(graph.sentTexts(user)).containsExactly("We open at 9");
        assertThat(graph.waEvents(user, GraphStandIn.INBOX_APP_ID)).isEmpty();
        assertThat(graph.waEvents(user, Platform.HELPDESK_APP_ID)).extracting(Event::kind)
                .contains("standby.message_echoes");

        var badToken = post("messages", "not-the-token", text(user, "x"));
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(json(badToken).path("error").path("code").asInt()).isEqualTo(190);
        var pageToken = post("messages", PAGE_TOKEN, text(user, "x"));
        assertThat(json(pageToken).path("error").path("code").asInt()).as("the Page's token is not the number's")
                .isEqualTo(190);

        clock.addAndGet(Duration.ofHours(25).toMillis());
        var late = post("messages", Platform.WHATSAPP_TOKEN, text(user, "Still there?"));
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(json(late).path("error").path("code").asInt()).isEqualTo(WhatsAppPlatform.REENGAGEMENT);
        assertThat(graph.waOwnerOf(user)).as("idle after 24 h without the user").isNull();

        var wrote = graph.onWhatsApp(p -> p.userSends(user, "I need a person"));
        assertThat(wrote.events()).anySatisfy(e -> assertThat(e.appId()).isEqualTo(BOT));
        var pass = control(user, "pass", "user asked for a human");
        var passed = post("thread_control", Platform.WHATSAPP_TOKEN, pass);
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(json(passed).path("success").asBoolean()).isTrue();
        assertThat(graph.passes(user)).singleElement()
                .satisfies(c -> assertThat(c.passedTo()).isEqualTo(WhatsAppPlatform.ESCALATION));
        assertThat(graph.waOwnerOf(user)).isEqualTo(Platform.HELPDESK_APP_ID);
        var handover = last(graph.waEvents(user, Platform.HELPDESK_APP_ID));
        assertThat(handover.kind()).isEqualTo("control_passed");
        assertThat(handover.value().path("control_passed").path("metadata").asText())
                .isEqualTo("user asked for a human");
        assertThat(handover.delivery().path("entry").get(0).path("id").asText()).isEqualTo(Platform.WABA_ID);

        var take = post("thread_control", Platform.WHATSAPP_TOKEN, control(user, "take", null));
        assertThat(json(take).path("error").path("code").asInt()).isEqualTo(WhatsAppPlatform.TAKE_NOT_PERMITTED);

        graph.onWhatsApp(p -> p.agentDone(user, Done.PASS_BACK, "Conversation marked done"));
        assertThat(graph.waOwnerOf(user)).isEqualTo(BOT);
        assertThat(last(graph.waEvents(user, BOT)).kind()).isEqualTo("control_passed");
    }

    @Test
    void thePagesAreServedAsBeforeAndResetForgetsTheWhatsAppThreadsButNotTheNumber() throws Exception {
        var psid = Messenger.newUser();
        var body = JSON.createObjectNode();
        body.putObject("recipient").put("id", psid);
        body.putObject("message").put("text", "hi");
        var page = http.send(HttpRequest.newBuilder(URI.create(graph.url() + "/v26.0/me/messages"))
                .header("Authorization", "Bearer " + PAGE_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(graph.sentTexts(psid)).containsExactly("hi");

        var user = WhatsApp.newUser();
        graph.userWroteOnWhatsApp(user, clock.get());
        post("thread_control", Platform.WHATSAPP_TOKEN, control(user, "pass", null));
        graph.reset();
        assertThat(graph.waEvents()).isEmpty();
        assertThat(graph.calls()).isEmpty();
        assertThat(graph.waOwnerOf(user)).as("a user it never heard of: wrote just now").isEqualTo(BOT);
        graph.token(Platform.WHATSAPP_NUMBER_ID, "rotated");
        assertThat(post("messages", Platform.WHATSAPP_TOKEN, text(user, "x")).statusCode()).isEqualTo(401);
        assertThat(post("messages", "rotated", text(user, "x")).statusCode()).isEqualTo(200);
    }

    @Test
    void theDeliveriesTestsBuildHaveTheShapesTheModelDelivers() {
        var user = WhatsApp.newUser();
        var model = new WhatsAppPlatform(new WhatsAppPlatform.PhoneNumber(Platform.WHATSAPP_NUMBER_ID,
                Platform.WHATSAPP_DISPLAY_NUMBER, Platform.WABA_ID, Platform.WHATSAPP_TOKEN),
                new WhatsAppPlatform.Apps(BOT, Platform.HELPDESK_APP_ID, null), clock::get, false);
        model.addUser("Sheena", user, null);
        var message = model.userSends(user, "Hi");
        assertSameShape(WhatsApp.text(user, "Hi"), of(message, BOT, "messages"));
        assertSameShape(WhatsApp.standbyMessage(user, "Hi"),
                of(message, Platform.HELPDESK_APP_ID, "standby.messages"));

        var buttons = JSON.createObjectNode().put("messaging_product", "whatsapp").put("to", user)
                .put("type", "interactive");
        var interactive = buttons.putObject("interactive").put("type", "button");
        interactive.putObject("body").put("text", "Can I help?");
        interactive.putObject("action").putArray("buttons").addObject().put("type", "reply").putObject("reply")
                .put("id", "TALK_TO_PERSON").put("title", "Talk to a person");
        var sent = model.graph("POST", Platform.WHATSAPP_NUMBER_ID, "messages", Platform.WHATSAPP_TOKEN, buttons,
                Map.of());
        assertSameShape(WhatsApp.status(user, "wamid.X", "sent"), of(sent, BOT, "statuses"));
        var tap = model.userTaps(user, "TALK_TO_PERSON");
        assertSameShape(WhatsApp.buttonReply(user, "wamid.X", "TALK_TO_PERSON", "Talk to a person"),
                of(tap, BOT, "messages"));

        var pass = model.graph("POST", Platform.WHATSAPP_NUMBER_ID, "thread_control", Platform.WHATSAPP_TOKEN,
                control(user, "pass", "user asked for a human"), Map.of());
        assertSameShape(WhatsApp.controlPassed(user, "customer_service", "escalation", "m"),
                of(pass, Platform.HELPDESK_APP_ID, "control_passed"));
        var reply = model.agentReplies(user, "Hi, Jo here");
        assertSameShape(WhatsApp.standbyEcho(user, "Hi, Jo here"), of(reply, BOT, "standby.message_echoes"));
        assertSameShape(WhatsApp.standbyStatus(user, "wamid.X", "sent"), of(reply, BOT, "standby.statuses"));
        var done = model.agentDone(user, Done.PASS_BACK, "Conversation marked done");
        assertSameShape(WhatsApp.passedBack(user, "m"), of(done, BOT, "control_passed"));
        assertSameShape(WhatsApp.controlTaken(user, "customer_service", "escalation", "m"),
                of(model.agentTakes(user, "Human agent stepping in"), BOT, "control_taken"));

        model.outsideWindow(WhatsAppPlatform.OutsideWindow.FAIL_LATER);
        model.agentDone(user, Done.PASS_BACK);
        clock.addAndGet(Duration.ofDays(1).toMillis());
        var failed = model.graph("POST", Platform.WHATSAPP_NUMBER_ID, "messages", Platform.WHATSAPP_TOKEN,
                text(user, "late"), Map.of());
        assertSameShape(WhatsApp.failed(user, "wamid.X", 131047, "Re-engagement message"),
                of(failed, BOT, "statuses"));
    }

    private static Event of(WhatsAppPlatform.Answer answer, String app, String kind) {
        return answer.events().stream().filter(e -> e.appId().equals(app) && e.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " for " + app + " in " + answer.events()));
    }

    private static void assertSameShape(ObjectNode change, Event event) {
        assertThat(WhatsApp.shape(json(WhatsApp.delivery(change)))).as(event.kind())
                .isEqualTo(WhatsApp.shape(event.delivery()));
    }

    private HttpResponse<String> post(String edge, String token, JsonNode body) throws IOException,
            InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(graph.url() + "/v26.0/" + Platform.WHATSAPP_NUMBER_ID
                + "/" + edge)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    private static Event last(List<Event> events) {
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }

    static JsonNode text(String user, String text) {
        var body = JSON.createObjectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", user).put("type", "text");
        body.putObject("text").put("body", text);
        return body;
    }

    static JsonNode control(String user, String action, String metadata) {
        var body = JSON.createObjectNode().put("messaging_product", "whatsapp").put("to", user).put("action", action);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return body;
    }
}
