package dev.messengerhandover.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.config.RoutingMode;
import dev.messengerhandover.handover.BotCatalogue;
import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.availability.Availability;

/** The Pages' JSON: defaults, overrides, and a start-up failure naming the Page and the field, never the token. */
class AccountSettingsTest {

    static final AccountSettings.Defaults DEFAULTS = new AccountSettings.Defaults("263902037430900",
            "1217981644879628", Optional.empty(), true, RequestPolicy.PAGE_INBOX_ONLY, RoutingMode.AUTO, 2,
            "TALK_TO_PERSON", 0.8, Availability.ALWAYS);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachPageTakesTheGlobalSettingsAndOverridesItsOwn() throws IOException {
        var pages = AccountSettings.parseAll("MESSENGER_PAGES", JSON.readTree("""
                {"111": {"accessToken": "secret-1", "instagramId": "17841", "name": "Shop"},
                 "222": {"accessToken": "secret-2", "welcomeBack": false, "requestPolicy": "never",
                         "routingMode": "default-behaviour", "fallbackLimit": 3}}"""), DEFAULTS);
        assertThat(pages.keySet()).containsExactly("111", "222");
        var shop = pages.get("111");
        assertThat(shop.name()).isEqualTo("Shop");
        assertThat(shop.instagramId()).contains("17841");
        assertThat(shop.welcomeBack()).isTrue();
        assertThat(shop.routingMode()).isEqualTo(RoutingMode.AUTO);
        var cafe = pages.get("222");
        assertThat(cafe.name()).isEqualTo("Page 222");
        assertThat(cafe.welcomeBack()).isFalse();
        assertThat(cafe.requestPolicy()).isEqualTo(RequestPolicy.NEVER);
        assertThat(cafe.routingMode()).isEqualTo(RoutingMode.DEFAULT_BEHAVIOUR);
        assertThat(cafe.fallbackLimit()).isEqualTo(3);
        assertThat(cafe.toString()).doesNotContain("secret-2");
    }

    @Test
    void missingOrMalformedSettingsNameThePageAndTheField() {
        assertRefused("[]", "MESSENGER_PAGES: must be a JSON object");
        assertRefused("{}", "MESSENGER_PAGES: must be a JSON object");
        assertRefused("{\"abc\": {\"accessToken\": \"t\"}}", "\"abc\" is not a Page id");
        assertRefused("{\"111\": \"t\"}", "Page 111: must be an object");
        assertRefused("{\"111\": {}}", "Page 111: \"accessToken\" is missing");
        assertRefused("{\"111\": {\"accessToken\": \" \"}}", "Page 111: \"accessToken\" is missing");
        assertRefused("{\"111\": {\"accessToken\": 5}}", "Page 111: \"accessToken\" must be a string");
        assertRefused("{\"111\": {\"accessToken\": \"t\", \"welcomeback\": false}}",
                "Page 111: unknown field \"welcomeback\"");
        assertRefused("{\"111\": {\"accessToken\": \"t\", \"welcomeBack\": \"no\"}}",
                "Page 111: \"welcomeBack\" must be true or false");
        assertRefused("{\"111\": {\"accessToken\": \"t\", \"requestPolicy\": \"sometimes\"}}",
                "Page 111: \"requestPolicy\" has \"sometimes\"");
        assertRefused("{\"111\": {\"accessToken\": \"t\", \"instagramId\": \"ig\"}}",
                "Page 111: \"instagramId\" must be an account id");
        assertRefused("{\"111\": {\"accessToken\": \"t\", \"fallbackLimit\": 0}}",
                "Page 111: \"fallbackLimit\" must be a whole number");
    }

    @Test
    void aCatalogueMustFitThePlatformsTextLimit() throws IOException {
        var catalogue = BotCatalogue.read(new ByteArrayInputStream(("{\"greeting\":{\"answer\":\"Hi\"},"
                + "\"fallback\":\"" + "x".repeat(1500) + "\",\"offerPerson\":\"o\",\"talkToPersonTitle\":\"t\","
                + "\"handoffNotice\":\"n\",\"handoffFailed\":\"f\",\"welcomeBack\":\"w\"}")
                .getBytes(StandardCharsets.UTF_8)));
        Accounts.fits(catalogue, AccountKind.MESSENGER, "MESSENGER_PAGES: Page 111");
        assertThatThrownBy(() -> Accounts.fits(catalogue, AccountKind.INSTAGRAM, "MESSENGER_PAGES: Page 111"))
                .hasMessageContaining("Page 111").hasMessageContaining("1500 characters")
                .hasMessageContaining("instagram takes at most 1000");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> AccountSettings.parseAll("MESSENGER_PAGES", JSON.readTree(json), DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
}
