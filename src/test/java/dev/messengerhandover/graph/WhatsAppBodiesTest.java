package dev.messengerhandover.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.graph.GraphModels.QuickReply;

/**
 * The Cloud API's bodies as the function writes them: a user with a phone number is {@code to}, a user Meta names by a
 * business-scoped user id only is {@code recipient}, never both; nothing null is written.
 */
class WhatsAppBodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPhoneNumberIsToAndABusinessScopedIdIsRecipient() throws Exception {
        var byPhone = JSON.readTree(JSON.writeValueAsString(GraphModels.WhatsAppMessage.text("16505551234", "Hi")));
        assertThat(byPhone.path("to").asText()).isEqualTo("16505551234");
        assertThat(byPhone.has("recipient")).isFalse();
        assertThat(byPhone.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(byPhone.path("text").path("body").asText()).isEqualTo("Hi");
        assertThat(byPhone.has("interactive")).isFalse();

        var byId = JSON.readTree(JSON.writeValueAsString(GraphModels.WhatsAppMessage.buttons(
                "US.13491208655302741918", "Which size?", List.of(QuickReply.text("Small", "SIZE_S")))));
        assertThat(byId.path("recipient").asText()).isEqualTo("US.13491208655302741918");
        assertThat(byId.has("to")).isFalse();
        var button = byId.path("interactive").path("action").path("buttons").path(0);
        assertThat(button.path("type").asText()).isEqualTo("reply");
        assertThat(button.path("reply").path("id").asText()).isEqualTo("SIZE_S");
        assertThat(button.path("reply").path("title").asText()).isEqualTo("Small");
    }

    @Test
    void aPassNamesNoTargetAndTheUserTheSameWay() throws Exception {
        var pass = JSON.readTree(JSON.writeValueAsString(GraphModels.WhatsAppThreadControl.of("16505551234", "pass",
                "reason=requested")));
        assertThat(pass.path("action").asText()).isEqualTo("pass");
        assertThat(pass.path("to").asText()).isEqualTo("16505551234");
        assertThat(pass.has("control_pass")).isFalse();
        assertThat(pass.has("recipient")).isFalse();
        var byId = JSON.readTree(JSON.writeValueAsString(GraphModels.WhatsAppThreadControl.of("US.1", "pass", null)));
        assertThat(byId.path("recipient").asText()).isEqualTo("US.1");
        assertThat(byId.has("metadata")).isFalse();
    }
}
