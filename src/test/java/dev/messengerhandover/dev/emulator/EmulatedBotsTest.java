package dev.messengerhandover.dev.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.bot.BotSignature;
import dev.messengerhandover.bot.HttpBot;
import dev.messengerhandover.dev.bots.Wire;
import dev.messengerhandover.dev.emulator.EmulatedBots.Behaviour;
import dev.messengerhandover.dev.emulator.EmulatedBots.Kind;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The emulator's bots: the Pages secret it serves the function, each account's bot as the page chose it; the
 * backends' answers as each behaviour makes them; the timeline's account of each call.
 */
class EmulatedBotsTest {

    static final String SHOP = "100000000000001";
    static final String CAFE = "100000000000002";
    static final String NUMBER = "105000000000001";
    static final String PAGES = "{\"" + SHOP + "\":{\"accessToken\":\"shop-token\",\"name\":\"Shop\"},\"" + CAFE
            + "\":{\"accessToken\":\"cafe-token\",\"name\":\"Café\",\"bot\":\"http\",\"botUrl\":\"https://elsewhere"
            + "\"},\"whatsapp\":{\"" + NUMBER + "\":{\"wabaId\":\"102000000000001\",\"accessToken\":\"wa-token\","
            + "\"name\":\"Shop\"}}}";
    static final ObjectMapper JSON = new ObjectMapper();

    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    EmulatedPage page;
    EmulatedBots bots;

    @BeforeEach
    void emulator() {
        page = new EmulatedPage(SHOP, "shop-token", "1000000000000001", "263902037430900", Mode.ROUTING, clock::get);
        bots = new EmulatedBots(page, PAGES, "pages", () -> "http://localhost:8080",
                () -> AwsBasicCredentials.create("dev", "dev"), "TalkToPerson");
    }

    @Test
    void theSecretGivesEachAccountTheBotChosenReachedAtTheEmulator() throws Exception {
        var secret = JSON.readTree(bots.secretString());
        assertThat(secret.path(SHOP).path("bot").asText()).isEqualTo("catalogue");
        assertThat(secret.path(SHOP).has("botUrl")).isFalse();
        assertThat(secret.path(CAFE).path("botUrl").asText()).as("the JSON's own choice, served here")
                .isEqualTo("http://localhost:8080/emulator/bot/" + CAFE);
        assertThat(secret.path(CAFE).path("botSecret").asText()).hasSize(48);
        assertThat(secret.path(SHOP).path("accessToken").asText()).isEqualTo("shop-token");

        bots.kind(SHOP, Kind.LEX);
        bots.kind(NUMBER, Kind.BEDROCK);
        secret = JSON.readTree(bots.secretString());
        assertThat(secret.path(SHOP).path("bot").asText()).isEqualTo("lex");
        assertThat(secret.path(SHOP).path("lexBotId").asText()).isEqualTo("DEVBOT0001");
        assertThat(secret.path(SHOP).path("lexAliasId").asText()).isEqualTo("TSTALIASID");
        assertThat(secret.path("whatsapp").path(NUMBER).path("bedrockModel").asText())
                .isEqualTo("arn:aws:bedrock:us-east-1:000000000000:application-inference-profile/devbot000003");
        assertThat(bots.summary()).isEqualTo("Shop: lex, Café: http, Shop (WhatsApp): bedrock");
        assertThat(bots.kind("999", Kind.HTTP)).isFalse();
    }

    @Test
    void eachBehaviourIsTheHttpBotsAnswerAndTheTimelineSaysHowTheCallEnded() throws Exception {
        bots.kind(SHOP, Kind.HTTP);
        var served = bots.http(SHOP, request("hi"));
        assertThat(served.response().status()).isEqualTo(200);
        assertThat(served.delayMillis()).isZero();
        assertThat(lastBotCall().path("title").asText()).isEqualTo("http bot of Shop: asking… · asked \"hi\"");
        assertThat(lastBotCall().path("status").asInt()).isZero();
        bots.answered(served, 12);
        assertThat(lastBotCall().path("title").asText())
                .isEqualTo("http bot of Shop: answered \"You wrote: hi\" · asked \"hi\"");
        assertThat(lastBotCall().path("status").asInt()).isEqualTo(200);
        assertThat(lastBotCall().path("millis").asLong()).isEqualTo(12);
        assertThat(lastBotCall().path("detail").path("request").path("event").path("text").asText()).isEqualTo("hi");

        var outcomes = Map.of(Behaviour.FAILS, "failed, 503", Behaviour.THROTTLED, "failed, 429",
                Behaviour.MALFORMED, "malformed, not JSON (text/html)", Behaviour.PERSON,
                "hands over (asked for a person)");
        for (var outcome : outcomes.entrySet()) {
            bots.behaviour(SHOP, outcome.getKey());
            served = bots.http(SHOP, request("again " + outcome.getKey()));
            bots.answered(served, 5);
            assertThat(lastBotCall().path("title").asText()).as("%s", outcome.getKey())
                    .startsWith("http bot of Shop: " + outcome.getValue());
        }

        bots.behaviour(SHOP, Behaviour.SLOW);
        assertThat(bots.http(SHOP, request("slow")).delayMillis()).isEqualTo(EmulatedBots.SLOW_MILLIS);
        bots.behaviour(SHOP, Behaviour.HANGS);
        served = bots.http(SHOP, request("hang"));
        assertThat(served.hangs()).isTrue();
        bots.gaveUp(served, 8_600);
        assertThat(lastBotCall().path("title").asText())
                .isEqualTo("http bot of Shop: no answer in 8.6 s, the function gave up · asked \"hang\"");
        assertThat(lastBotCall().path("status").asInt()).isEqualTo(-1);

        bots.behaviour(SHOP, Behaviour.ANSWERS);
        var unsigned = new Wire.Request("POST", "/emulator/bot/" + SHOP, Map.of("Content-Type",
                List.of("application/json")), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(bots.http(SHOP, unsigned).response().status()).isEqualTo(401);
        assertThat(bots.http("999", request("hi")).response().status()).isEqualTo(404);
    }

    /** A request as the function's HTTP bot client makes it: signed with the secret the emulator gave it. */
    private Wire.Request request(String text) throws Exception {
        var secret = JSON.readTree(bots.secretString()).path(SHOP).path("botSecret").asText();
        var body = JSON.createObjectNode();
        body.putObject("account").put("id", SHOP).put("platform", "messenger").put("name", "Shop");
        body.putObject("user").put("id", "7000000000000001");
        body.putObject("event").put("mid", "m_" + text.hashCode()).put("text", text);
        body.putObject("context").putArray("transcript");
        var bytes = JSON.writeValueAsBytes(body);
        return new Wire.Request("POST", "/emulator/bot/" + SHOP, Map.of("Content-Type", List.of("application/json"),
                BotSignature.HEADER, List.of(BotSignature.header(secret, bytes)), HttpBot.IDEMPOTENCY_KEY,
                List.of("key-" + text.hashCode())), bytes);
    }

    private JsonNode lastBotCall() {
        JsonNode last = null;
        for (var t : page.snapshot().path("timeline")) {
            if (t.path("kind").asText().equals("bot")) {
                last = t;
            }
        }
        return last;
    }
}
