package dev.messengerhandover.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;

/**
 * Tests on the Messenger Platform emulator instead of the Graph stand-in: the function's Graph client calls the
 * emulator, and the emulator posts signed deliveries to the function's webhook, as in {@code quarkus:dev}.
 */
public class EmulatedPlatform implements QuarkusTestProfile {

    // One port for the whole JVM: Quarkus loads this class again in its own class loader, so a static field alone
    // would give the profile and the test two different ports.
    private static final String PORT_PROPERTY = "messenger-handover.test.emulator-port";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The emulated Shop Page (with its Instagram account) and WhatsApp number, as the emulator serves them. */
    public static final String PAGE_ID = "100000000000001";
    public static final String INSTAGRAM_ID = "17841400000000001";
    public static final String NUMBER_ID = "105000000000001";
    public static final String WABA_ID = "102000000000001";

    @Override
    public Map<String, String> getConfigOverrides() {
        var config = new java.util.HashMap<String, String>();
        config.put("emulator.port", Integer.toString(port()));
        config.put("emulator.drives-clock", "true");
        // as in dev mode: the platform's clock starts on a Monday morning, whatever the time of the run
        config.put("emulator.clock-start", "Mon 09:30");
        config.put("quarkus.rest-client.graph-api.url", url() + "/emulator/graph");
        // alerts reach the emulator's SNS, which shows them on its timeline
        config.put("handover.aws.sns-endpoint", url() + "/emulator/sns");
        // always open, but in a zone of its own: the clock's "set time of day" offers it
        config.put("handover.time-zone", "Europe/Paris");
        // As in dev mode, the Pages are the emulator's, read from it as the Pages secret: the page switches their bots
        // (a team's HTTP bot, Lex and Bedrock answer on the emulator's port). A Page with its Instagram account, and
        // a WhatsApp number whose escalation partner is the emulator's helpdesk.
        config.put("messenger.page-access-token", "");
        config.put("emulator.pages", "{\"" + PAGE_ID + "\":{\"accessToken\":\"" + Platform.PAGE_TOKEN
                + "\",\"instagramId\":\"" + INSTAGRAM_ID + "\",\"name\":\"Shop\"},\"whatsapp\":{\"" + NUMBER_ID
                + "\":{\"wabaId\":\"" + WABA_ID + "\",\"accessToken\":\"" + Platform.WHATSAPP_TOKEN
                + "\",\"name\":\"Shop\"}}}");
        config.put("handover.pages-secret", "messenger-handover/emulated-pages");
        config.put("handover.aws.secrets-manager-endpoint", url() + "/emulator/secretsmanager");
        config.put("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", url());
        config.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", url());
        config.put("handover.bot.lex.region", "us-east-1");
        config.put("handover.bot.bedrock.region", "us-east-1");
        return config;
    }

    public static String url() {
        return "http://localhost:" + port();
    }

    private static int port() {
        synchronized (System.class) {
            var port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                port = Integer.toString(DynamoDbLocal.freePort());
                System.setProperty(PORT_PROPERTY, port);
            }
            return Integer.parseInt(port);
        }
    }

    // --- the emulator's own API, as the page uses it

    public static String addUser(String name) {
        return given().baseUri(url()).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/emulator/api/users").then().statusCode(200).extract().path("psid");
    }

    public static void userSays(String psid, String text) {
        given().baseUri(url()).contentType(ContentType.JSON).body(Map.of("text", text))
                .post("/emulator/api/users/{psid}/messages", psid).then().statusCode(200);
    }

    public static void userTapsQuickReply(String psid, String title, String payload) {
        given().baseUri(url()).contentType(ContentType.JSON).body(Map.of("text", title, "payload", payload))
                .post("/emulator/api/users/{psid}/messages", psid).then().statusCode(200);
    }

    public static io.restassured.response.Response agent(String psid, String action, Object body) {
        var request = given().baseUri(url());
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post("/emulator/api/inbox/{psid}/" + action, psid);
    }

    /** The account's bot, as the page switches it ({@code kind}, {@code behaviour}); returns the page's state. */
    public static JsonNode bot(String account, Map<String, String> body) {
        try {
            return JSON.readTree(given().baseUri(url()).contentType(ContentType.JSON).body(body)
                    .post("/emulator/api/bots/{account}", account).then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every account's bot back to the catalogue, answering: what the other tests expect. */
    public static void catalogueBots() {
        for (var account : java.util.List.of(PAGE_ID, NUMBER_ID)) {
            bot(account, Map.of("kind", "catalogue", "behaviour", "answers"));
        }
    }

    // --- WhatsApp: the user's phone and the helpdesk, as the page drives them

    public static String addWhatsAppUser(String name) {
        return given().baseUri(url()).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/emulator/api/whatsapp/users").then().statusCode(200).extract().path("waId");
    }

    public static void whatsAppSays(String waId, String text) {
        given().baseUri(url()).contentType(ContentType.JSON).body(Map.of("text", text))
                .post("/emulator/api/whatsapp/users/{waId}/messages", waId).then().statusCode(200);
    }

    /** The user taps the reply button {@code buttonId} under the business's message {@code messageId}. */
    public static void whatsAppTaps(String waId, String messageId, String buttonId) {
        given().baseUri(url()).contentType(ContentType.JSON).body(Map.of("messageId", messageId, "buttonId",
                buttonId)).post("/emulator/api/whatsapp/users/{waId}/taps", waId).then().statusCode(200);
    }

    /** The helpdesk's {@code replies} or {@code done}. */
    public static io.restassured.response.Response helpdesk(String waId, String action, Object body) {
        return given().baseUri(url()).contentType(ContentType.JSON).body(body)
                .post("/emulator/api/whatsapp/helpdesk/{waId}/" + action, waId);
    }

    public static JsonNode whatsAppConversation(String waId) {
        return find("whatsapp", "waId", waId);
    }

    /** WhatsApp delivers asynchronously too: wait until the conversation satisfies {@code condition}. */
    public static JsonNode eventuallyWhatsApp(String waId, Predicate<JsonNode> condition, String what) {
        return until(() -> whatsAppConversation(waId), condition, what);
    }

    /** The clock moves on by {@code minutes}; the sweep runs. Returns the emulator's answer (what the sweep did). */
    public static JsonNode clock(Map<String, Object> body) {
        try {
            return JSON.readTree(given().baseUri(url()).contentType(ContentType.JSON).body(body)
                    .post("/emulator/api/clock").then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The function's queues of an account, as the emulator shows them. */
    public static JsonNode queue(String account) {
        try {
            return JSON.readTree(given().baseUri(url()).queryParam("account", account).get("/emulator/api/queue")
                    .then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode state() {
        try {
            return JSON.readTree(given().baseUri(url()).get("/emulator/api/state").then().statusCode(200).extract()
                    .asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode conversation(String psid) {
        return find("conversations", "psid", psid);
    }

    /** Deliveries are asynchronous, as Messenger's are: wait until the conversation satisfies {@code condition}. */
    public static JsonNode eventually(String psid, Predicate<JsonNode> condition, String what) {
        return until(() -> conversation(psid), condition, what);
    }

    /** The conversation of {@code list} in the emulator's state whose {@code field} is {@code id}. */
    private static JsonNode find(String list, String field, String id) {
        for (var c : state().path(list)) {
            if (c.path(field).asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no " + list + " entry for " + id);
    }

    /** Reads a conversation again until it satisfies {@code condition}, for up to 20 s. */
    private static JsonNode until(java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> condition,
            String what) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = read.get();
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; conversation: " + last);
    }

    /** Whether the conversation's history ends with a line from {@code from} containing {@code text}. */
    public static Predicate<JsonNode> lastLine(String from, String text) {
        return c -> {
            var lines = c.path("messages");
            var last = lines.get(lines.size() - 1);
            return last != null && last.path("from").asText().equals(from) && last.path("text").asText().contains(text);
        };
    }
}
