package dev.messengerhandover.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
