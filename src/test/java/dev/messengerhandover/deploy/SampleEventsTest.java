package dev.messengerhandover.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.messengerhandover.dev.platform.WhatsAppPlatform;
import dev.messengerhandover.testing.SampleEvents;

/**
 * Keeps the {@code sam local invoke} samples honest: every one is a payload 2.0 event and every POST to the webhook is
 * signed with the documented sample secret; the schedule's sweep event comes from no API Gateway (no {@code apiId}). After editing a body, re-sign them with
 * {@code ./mvnw test -Dtest=SampleEventsTest -Devents.sign=true}.
 */
class SampleEventsTest {

    @Test
    void everySampleIsAnHttpApiEventAndEveryPostIsSigned() {
        if (Boolean.getBoolean("events.sign")) {
            System.out.println("re-signed: " + SampleEvents.sign());
        }
        assertThat(SampleEvents.names()).containsAll(SampleEvents.FLOW);
        for (var name : SampleEvents.names()) {
            var event = SampleEvents.json(name);
            assertThat(event.path("version").asText()).as(name).isEqualTo("2.0");
            var method = event.path("requestContext").path("http").path("method").asText();
            assertThat(event.path("routeKey").asText()).as(name).startsWith(method + " ");
            if (method.equals("POST") && event.path("rawPath").asText().equals("/webhook")) {
                assertThat(event.path("headers").path("x-hub-signature-256").asText()).as(name + " signature")
                        .isEqualTo(SampleEvents.expectedSignature(event));
            }
            if (event.path("rawPath").asText().equals("/internal/sweep")) {
                assertThat(event.path("requestContext").has("apiId")).as(name + " from API Gateway").isFalse();
            }
        }
    }

    /**
     * The WhatsApp samples are what the platform model delivers to the bot for the same conversation, message ids
     * aside: the user's text, the tap on "Talk to a person", the helpdesk's Done by pass back.
     */
    @Test
    void theWhatsAppSamplesAreWhatTheModelDeliversToTheBot() throws IOException {
        assertThat(SampleEvents.names()).containsAll(SampleEvents.WHATSAPP);
        assertThat(SampleEvents.FLOW).doesNotContainAnyElementsOf(SampleEvents.WHATSAPP);
        var clock = new AtomicLong(WRITTEN_AT);
        var token = "sample-whatsapp-token";
        var model = new WhatsAppPlatform(new WhatsAppPlatform.PhoneNumber(SampleEvents.WHATSAPP_NUMBER_ID,
                SampleEvents.WHATSAPP_DISPLAY_NUMBER, SampleEvents.WABA_ID, token),
                new WhatsAppPlatform.Apps(SampleEvents.APP_ID, "400000000000006", null), clock::get, false);
        model.addUser("Sheena Nelson", SampleEvents.WA_USER, null);
        assertDeliveredToTheBot("whatsapp-message", model.userSends(SampleEvents.WA_USER,
                "Hi! What are your opening hours?"));

        clock.set(WRITTEN_AT + 1_000);
        var buttons = JSON.createObjectNode().put("messaging_product", "whatsapp").put("to", SampleEvents.WA_USER)
                .put("type", "interactive");
        var interactive = buttons.putObject("interactive").put("type", "button");
        interactive.putObject("body").put("text", "We open at 9. Anything else?");
        interactive.putObject("action").putArray("buttons").addObject().put("type", "reply").putObject("reply")
                .put("id", "TALK_TO_PERSON").put("title", "Talk to a person");
        assertThat(model.graph("POST", SampleEvents.WHATSAPP_NUMBER_ID, "messages", token, buttons, Map.of()).ok())
                .isTrue();
        clock.set(WRITTEN_AT + 60_000);
        assertDeliveredToTheBot("whatsapp-talk-to-person", model.userTaps(SampleEvents.WA_USER, "TALK_TO_PERSON"));

        clock.set(WRITTEN_AT + 61_000);
        var pass = JSON.createObjectNode().put("messaging_product", "whatsapp").put("to", SampleEvents.WA_USER)
                .put("action", "pass");
        assertThat(model.graph("POST", SampleEvents.WHATSAPP_NUMBER_ID, "thread_control", token, pass, Map.of())
                .ok()).isTrue();
        clock.set(WRITTEN_AT + 600_000);
        assertDeliveredToTheBot("whatsapp-control-passed", model.agentDone(SampleEvents.WA_USER,
                WhatsAppPlatform.Done.PASS_BACK, "Conversation marked done"));

        var fresh = JSON.readTree(JSON.readTree(SampleEvents.fresh("whatsapp-message", WRITTEN_AT + 86_400_000L))
                .path("body").asText());
        assertThat(fresh.at("/entry/0/changes/0/value/messages/0/timestamp"))
                .as("moved a day on, still a string of seconds").isEqualTo(new TextNode("1764151200"));
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WRITTEN_AT = 1_764_064_800_000L;

    private static void assertDeliveredToTheBot(String sample, WhatsAppPlatform.Answer answer) throws IOException {
        var body = JSON.readTree(SampleEvents.json(sample).path("body").asText());
        var delivered = answer.events().stream().filter(e -> e.appId().equals(SampleEvents.APP_ID)).findFirst()
                .orElseThrow().delivery();
        assertThat(withoutMessageIds(body)).as(sample).isEqualTo(withoutMessageIds(delivered));
    }

    /** The document with every {@code wamid} written {@code wamid.}: the model numbers its messages its own way. */
    private static JsonNode withoutMessageIds(JsonNode node) {
        var copy = node.deepCopy();
        blank(copy);
        return copy;
    }

    private static void blank(JsonNode node) {
        if (node instanceof ObjectNode object) {
            var names = new ArrayList<String>();
            object.fieldNames().forEachRemaining(names::add);
            for (var name : names) {
                if (object.get(name).isTextual() && object.get(name).asText().startsWith("wamid.")) {
                    object.put(name, "wamid.");
                }
            }
        }
        node.forEach(SampleEventsTest::blank);
    }
}
