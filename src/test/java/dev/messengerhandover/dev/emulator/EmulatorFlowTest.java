package dev.messengerhandover.dev.emulator;

import static dev.messengerhandover.testing.EmulatedPlatform.addUser;
import static dev.messengerhandover.testing.EmulatedPlatform.agent;
import static dev.messengerhandover.testing.EmulatedPlatform.eventually;
import static dev.messengerhandover.testing.EmulatedPlatform.lastLine;
import static dev.messengerhandover.testing.EmulatedPlatform.state;
import static dev.messengerhandover.testing.EmulatedPlatform.userSays;
import static dev.messengerhandover.testing.EmulatedPlatform.userTapsQuickReply;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.testing.EmulatedPlatform;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The seed's handoff flow with the real function on the emulated platform: signed deliveries to the webhook, Graph
 * calls checked by the emulator, the Page Inbox's folders. What the user and the agent see, and what is stored.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(EmulatedPlatform.class)
class EmulatorFlowTest {

    static final String BOT = Platform.APP_ID;
    static final String INBOX = "263902037430900";

    @AfterEach
    void routingAgain() {
        mode("routing");
        EmulatedPlatform.catalogueBots();
    }

    @Test
    void botInboxDoneBot() {
        var psid = addUser("Alex");

        userSays(psid, "hi");
        var c = eventually(psid, lastLine("bot", "I'm the Page's assistant"), "the greeting");
        assertThat(c.path("folder").asText()).isEqualTo("done");

        userTapsQuickReply(psid, "Talk to a person", "TALK_TO_PERSON");
        c = eventually(psid, conv -> conv.path("role").asText().equals("inbox"), "the pass to the Page Inbox");
        assertThat(c.path("folder").asText()).isEqualTo("inbox");
        assertThat(c.path("notified").asBoolean()).isTrue();
        assertThat(texts(c, "bot")).anyMatch(t -> t.contains("handing you over"));
        assertThat(graphCalls(psid)).as("the notice carries the pass").doesNotContain("POST pass_thread_control");

        agent(psid, "replies", Map.of("text", "Hi Alex, Jo here. What can I do?")).then().statusCode(200);
        userSays(psid, "my parcel is late");
        eventually(psid, lastLine("user", "parcel"), "the user's message in the Inbox");

        agent(psid, "done", Map.of("how", "pass")).then().statusCode(200);
        c = eventually(psid, lastLine("bot", "Thanks for your patience"), "the welcome back");
        assertThat(c.path("role").asText()).isEqualTo("bot");
        assertThat(c.path("folder").asText()).isEqualTo("done");
        // The bot stayed silent while the agent had the thread: one greeting, one notice, one welcome back.
        assertThat(texts(c, "bot")).hasSize(3);

        // What the function stored: the bot owns the thread again, the agent's reply is in its transcript.
        var stored = stored(psid);
        assertThat(stored.getString("owner.appId")).isEqualTo(BOT);
        assertThat(stored.getList("transcript.text", String.class))
                .contains("my parcel is late", "Hi Alex, Jo here. What can I do?");

        // Every delivery was accepted (signature and body), every Graph call succeeded.
        assertThat(timeline(psid)).allSatisfy(t -> assertThat(t.path("status").asInt()).as(t.toString())
                .isEqualTo(200));
    }

    @Test
    void doneAsAReleaseTheBotAnswersTheNextMessageWithoutWelcomeBack() {
        var psid = handedOver("Lena");
        agent(psid, "done", Map.of("how", "release")).then().statusCode(200);
        var c = EmulatedPlatform.conversation(psid);
        assertThat(c.path("role").asText()).as("idle: nobody controls it").isEqualTo("idle");
        assertThat(c.path("folder").asText()).isEqualTo("done");

        userSays(psid, "and your opening hours?");
        c = eventually(psid, lastLine("bot", "We're open"), "the bot's answer");
        assertThat(texts(c, "bot")).noneMatch(t -> t.contains("Thanks for your patience"));
        assertThat(stored(psid).getString("history[0].kind")).isEqualTo("released");
    }

    @Test
    void anAgentsAnswerTakesTheConversationAndTheBotStaysSilent() {
        var psid = addUser("Noor");
        userSays(psid, "hi");
        eventually(psid, lastLine("bot", "assistant"), "the greeting");

        agent(psid, "replies", Map.of("text", "Hello Noor, can I help?")).then().statusCode(200);
        eventually(psid, conv -> conv.path("role").asText().equals("inbox"), "the Inbox taking the conversation");
        userSays(psid, "yes please, my order");
        var c = eventually(psid, lastLine("user", "my order"), "the user's answer");
        assertThat(texts(c, "bot")).hasSize(1);
        eventuallyStored(psid, "page_inbox");
    }

    @Test
    void movingAConversationToInboxTakesItTheBotFollows() {
        var psid = addUser("Sam");
        userSays(psid, "hello");
        eventually(psid, lastLine("bot", "assistant"), "the greeting");

        agent(psid, "move-to-inbox", null).then().statusCode(200);

        var c = eventually(psid, conv -> conv.path("role").asText().equals("inbox"), "the Inbox taking the thread");
        assertThat(c.path("folder").asText()).isEqualTo("inbox");
        eventuallyStored(psid, "page_inbox");
    }

    @Test
    void inDefaultBehaviourTheFlowHoldsWithASeparatePassAndBothWaysOfDone() {
        mode("default-behaviour");
        var psid = handedOver("Kofi");
        assertThat(graphCalls(psid)).contains("POST pass_thread_control");

        userSays(psid, "hello? is someone there?");
        var c = eventually(psid, lastLine("user", "someone there"), "the user's message");
        sleepALittle();
        assertThat(texts(EmulatedPlatform.conversation(psid), "bot")).as("silent while the Inbox has it")
                .hasSize(2);
        agent(psid, "done", Map.of("how", "pass")).then().statusCode(200);
        eventually(psid, lastLine("bot", "Thanks for your patience"), "the welcome back");

        var other = handedOver("Mia");
        agent(other, "done", Map.of("how", "release")).then().statusCode(200);
        userSays(other, "what about returns?");
        c = eventually(other, lastLine("bot", "You can return"), "the answer after a release");
        assertThat(graphCalls(other)).contains("GET thread_owner");
    }

    @Test
    void afterADayWithoutActivityControlExpiresAndTheBotAnswers() {
        var psid = handedOver("Ravi");
        given().baseUri(EmulatedPlatform.url()).contentType("application/json").body(Map.of("minutes", 1500))
                .post("/emulator/api/clock").then().statusCode(200);
        assertThat(EmulatedPlatform.conversation(psid).path("role").asText()).isEqualTo("idle");
        userSays(psid, "hi again, refund?");
        eventually(psid, lastLine("bot", "You can return"), "the answer after the expiry");
        // Newest first: the sweep that ran with the clock found the hand-over lapsed unanswered, recorded the
        // expiry, then told the team.
        assertThat(stored(psid).getList("history.kind", String.class)).startsWith("alerted", "expired");
        assertThat(stored(psid).getString("history[1].reason")).isEqualTo("unanswered");
    }

    // --- the bot switch: each account's bot served by the emulator, its calls on the timeline -------------------

    /**
     * The Shop's bot switched to a team's HTTP bot: the next message is its answer, on the timeline as a call with what
     * was asked and answered. Made to fail, the user gets the catalogue's fallback with the offer of a person, and the
     * timeline says the bot failed and how.
     */
    @Test
    void aBotSwitchedToHttpThenFailingGivesTheFallbackAndTheTimelineSaysWhy() {
        var psid = addUser("Ines");
        var state = EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("kind", "http"));
        assertThat(botOf(state, EmulatedPlatform.PAGE_ID).path("kind").asText()).isEqualTo("http");
        assertThat(timelineOf("platform").getLast().path("title").asText())
                .isEqualTo("the function read the Pages secret");

        userSays(psid, "hi");
        eventually(psid, lastLine("bot", "You wrote: hi"), "the HTTP bot's answer");
        var call = lastBotCall();
        assertThat(call.path("title").asText()).startsWith("http bot of Shop: answered \"You wrote: hi\"")
                .endsWith("asked \"hi\"");
        assertThat(call.path("status").asInt()).isEqualTo(200);
        assertThat(call.path("detail").path("request").path("user").path("id").asText()).isEqualTo(psid);
        assertThat(call.path("detail").path("response").path("messages").get(0).path("text").asText())
                .isEqualTo("You wrote: hi");

        EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("behaviour", "fails"));
        userSays(psid, "and my parcel?");
        var c = eventually(psid, lastLine("bot", "Sorry, I didn't get that"), "the catalogue's fallback");
        assertThat(c.path("messages").get(c.path("messages").size() - 1).path("quickReplies")
                .findValuesAsText("title")).contains("Talk to a person");
        var failed = lastBotCall();
        assertThat(failed.path("title").asText()).startsWith("http bot of Shop: failed, 503")
                .endsWith("asked \"and my parcel?\"");
        assertThat(failed.path("status").asInt()).isEqualTo(503);
        // The fallback went out after the failure: the Graph call that carries it follows the bot's on the timeline.
        var after = timeline(psid).stream().filter(t -> t.path("id").asLong() > failed.path("id").asLong()
                && t.path("kind").asText().equals("graph")).toList();
        assertThat(after).anySatisfy(t -> assertThat(t.path("detail").path("request").path("message").path("text")
                .asText()).startsWith("Sorry, I didn't get that"));
    }

    /**
     * Lex V2 and Bedrock answer on their own wire formats from the emulator's backends, signed calls and all; a
     * bot that asks for a person hands the conversation over; one that hangs is cut off at the delivery's time and the
     * user still gets an answer.
     */
    @Test
    void lexAndBedrockAnswerOneAsksForAPersonAndOneThatHangsIsCutOff() {
        var psid = addUser("Hugo");
        EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("kind", "lex"));
        userSays(psid, "what are your opening hours?");
        eventually(psid, lastLine("bot", "We're open Monday to Saturday"), "Lex's answer");
        var lex = lastBotCall();
        assertThat(lex.path("title").asText()).startsWith("lex bot of Shop: answered \"We're open");
        assertThat(lex.path("detail").path("response").path("sessionState").path("intent").path("name").asText())
                .isEqualTo("OpeningHours");

        EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("kind", "bedrock"));
        userSays(psid, "do you take returns?");
        eventually(psid, lastLine("bot", "You can return any item"), "Bedrock's answer, from the catalogue's facts");
        assertThat(lastBotCall().path("title").asText()).startsWith("bedrock bot of Shop: answered \"You can return");

        EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("behaviour", "person"));
        userSays(psid, "I have a question");
        eventually(psid, conv -> conv.path("role").asText().equals("inbox"), "the hand-over Bedrock asked for");
        assertThat(lastBotCall().path("title").asText()).startsWith("bedrock bot of Shop: hands over");
        EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("behaviour", "answers"));
        agent(psid, "done", Map.of("how", "pass")).then().statusCode(200);
        eventually(psid, lastLine("bot", "Thanks for your patience"), "the welcome back");

        EmulatedPlatform.bot(EmulatedPlatform.PAGE_ID, Map.of("kind", "http", "behaviour", "hangs"));
        long started = System.nanoTime();
        userSays(psid, "still there?");
        eventually(psid, lastLine("bot", "Sorry, I didn't get that"), "the fallback once the function gave up");
        var call = lastBotCall();
        assertThat(call.path("title").asText()).startsWith("http bot of Shop: no answer in ")
                .contains("the function gave up");
        assertThat(call.path("status").asInt()).isEqualTo(-1);
        assertThat(System.nanoTime() - started).as("the user waited less than Messenger's 20 s")
                .isLessThan(20_000_000_000L);
    }

    @Test
    void aBotSwitchIsRefusedForAnUnknownKindOrAccount() {
        given().baseUri(EmulatedPlatform.url()).contentType("application/json").body(Map.of("kind", "eliza"))
                .post("/emulator/api/bots/{account}", EmulatedPlatform.PAGE_ID).then().statusCode(400);
        given().baseUri(EmulatedPlatform.url()).contentType("application/json").body(Map.of("kind", "lex"))
                .post("/emulator/api/bots/{account}", "999").then().statusCode(404);
    }

    // --- WhatsApp: a number under Conversation Routing, the helpdesk its escalation partner ---------------------

    /**
     * A WhatsApp conversation end to end: the bot answers with a reply button, the tap passes the thread to the
     * helpdesk (thread_control pass, control_passed to the helpdesk), the bot hears the user on standby and stays
     * silent, the agent answers and clicks Done (pass back: control_passed to the bot), the bot answers again.
     */
    @Test
    void aWhatsAppConversationGoesToTheHelpdeskAndBackToTheBot() {
        var waId = EmulatedPlatform.addWhatsAppUser("Zoe");
        EmulatedPlatform.whatsAppSays(waId, "hi");
        var c = EmulatedPlatform.eventuallyWhatsApp(waId, lastLine("bot", "I'm the Page's assistant"),
                "the greeting");
        var greeting = c.path("messages").get(c.path("messages").size() - 1);
        assertThat(greeting.path("buttons").findValuesAsText("title")).containsExactly("Talk to a person");
        assertThat(c.path("role").asText()).isEqualTo("bot");
        assertThat(c.path("windowOpen").asBoolean()).isTrue();

        EmulatedPlatform.whatsAppTaps(waId, greeting.path("id").asText(), "TALK_TO_PERSON");
        c = EmulatedPlatform.eventuallyWhatsApp(waId, conv -> conv.path("role").asText().equals("helpdesk"),
                "the pass to the helpdesk");
        assertThat(texts(c, "bot")).anyMatch(t -> t.contains("handing you over"));
        assertThat(graphCalls(waId)).contains("POST thread_control (pass)");
        assertThat(timelineOf("helpdesk")).anySatisfy(t -> assertThat(t.path("title").asText())
                .isEqualTo("to the helpdesk on messaging_handovers: control_passed"));

        EmulatedPlatform.helpdesk(waId, "replies", Map.of("text", "Hi Zoe, Jo here.")).then().statusCode(200);
        EmulatedPlatform.whatsAppSays(waId, "my parcel is late");
        EmulatedPlatform.eventuallyWhatsApp(waId, lastLine("user", "parcel"), "the user's message");
        eventuallyOnTheTimeline(waId, "to the bot on standby: messages");
        sleepALittle();
        assertThat(texts(EmulatedPlatform.whatsAppConversation(waId), "bot")).as("silent while the helpdesk has it")
                .hasSize(2);

        EmulatedPlatform.helpdesk(waId, "done", Map.of("how", "pass")).then().statusCode(200);
        c = EmulatedPlatform.eventuallyWhatsApp(waId, lastLine("bot", "Thanks for your patience"),
                "the welcome back");
        assertThat(c.path("role").asText()).isEqualTo("bot");
        EmulatedPlatform.whatsAppSays(waId, "what are your opening hours?");
        EmulatedPlatform.eventuallyWhatsApp(waId, lastLine("bot", "We're open"), "the bot's answer");

        // What the function stored: the bot (customer_service) holds the thread, the agent's words are in it.
        var stored = given().header("X-Api-Key", Platform.ADMIN_KEY)
                .get("/threads/{number}/{user}", EmulatedPlatform.NUMBER_ID, waId).then().statusCode(200).extract()
                .jsonPath();
        assertThat(stored.getString("owner.role")).isEqualTo("bot");
        assertThat(stored.getList("transcript.text", String.class)).contains("Hi Zoe, Jo here.", "my parcel is late");
        assertThat(stored.getList("history.kind", String.class)).contains("passed", "returned");
        // Every delivery was taken, every Graph call succeeded.
        long end = System.nanoTime() + 20_000_000_000L;
        while (timeline(waId).stream().anyMatch(t -> t.path("status").asInt() == 0)) {
            assertThat(System.nanoTime()).as("every delivery answered").isLessThan(end);
            sleepALittle();
        }
        assertThat(timeline(waId)).isNotEmpty().allSatisfy(t -> assertThat(t.path("status").asInt()).as(t.toString())
                .isEqualTo(200));
    }

    /**
     * The helpdesk's Done as a release: the thread is idle and no webhook says so; the user's next message reaches the
     * bot, which answers it. A day later the 24 h window is closed: the helpdesk's reply is refused (131047).
     */
    @Test
    void aWhatsAppReleaseLeavesTheThreadIdleAndADayLaterTheWindowIsClosed() {
        var waId = EmulatedPlatform.addWhatsAppUser("Luca");
        EmulatedPlatform.whatsAppSays(waId, "I want to talk to a person");
        EmulatedPlatform.eventuallyWhatsApp(waId, conv -> conv.path("role").asText().equals("helpdesk"),
                "the pass to the helpdesk");
        sleepALittle();
        int deliveries = timelineOf("webhook").size();
        EmulatedPlatform.helpdesk(waId, "done", Map.of("how", "release")).then().statusCode(200);
        var c = EmulatedPlatform.whatsAppConversation(waId);
        assertThat(c.path("role").asText()).isEqualTo("idle");
        assertThat(c.path("idleAt").asLong()).isZero();
        sleepALittle();
        assertThat(timelineOf("webhook")).as("no webhook for a release").hasSize(deliveries);

        EmulatedPlatform.whatsAppSays(waId, "and your opening hours?");
        c = EmulatedPlatform.eventuallyWhatsApp(waId, lastLine("bot", "We're open"), "the bot's answer");
        assertThat(texts(c, "bot")).noneMatch(t -> t.contains("Thanks for your patience"));

        EmulatedPlatform.clock(Map.of("minutes", 24 * 60));
        c = EmulatedPlatform.whatsAppConversation(waId);
        assertThat(c.path("windowOpen").asBoolean()).isFalse();
        assertThat(c.path("role").asText()).as("idle after 24 h without a message from the user").isEqualTo("idle");
        EmulatedPlatform.helpdesk(waId, "replies", Map.of("text", "Sorry for the wait!")).then().statusCode(400)
                .body("error.code", org.hamcrest.Matchers.is(131047));
    }

    private static JsonNode botOf(JsonNode state, String account) {
        for (var b : state.path("bots").path("accounts")) {
            if (b.path("account").asText().equals(account)) {
                return b;
            }
        }
        throw new AssertionError("no bot for " + account + " in " + state.path("bots"));
    }

    /** The latest call to a bot's backend, once it ended (answered, failed or given up on). */
    private static JsonNode lastBotCall() {
        long end = System.nanoTime() + 20_000_000_000L;
        while (true) {
            var calls = timelineOf("bot");
            assertThat(calls).as("calls to the bot's backend").isNotEmpty();
            var last = calls.getLast();
            if (last.path("status").asInt() != 0) {
                return last;
            }
            assertThat(System.nanoTime()).as("the bot call's end: %s", last).isLessThan(end);
            sleepALittle();
        }
    }

    private static void eventuallyOnTheTimeline(String user, String title) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (timeline(user).stream().noneMatch(t -> t.path("title").asText().startsWith(title))) {
            assertThat(System.nanoTime()).as("\"%s\" on the timeline", title).isLessThan(end);
            sleepALittle();
        }
    }


    private String handedOver(String name) {
        var psid = addUser(name);
        userSays(psid, "hi");
        eventually(psid, lastLine("bot", "assistant"), "the greeting");
        userTapsQuickReply(psid, "Talk to a person", "TALK_TO_PERSON");
        eventually(psid, conv -> conv.path("role").asText().equals("inbox"), "the pass to the Page Inbox");
        eventuallyStored(psid, "page_inbox");
        return psid;
    }

    /** A Page admin switches the routing; the emulator answers once the function has asked each account's again. */
    private static void mode(String mode) {
        given().baseUri(EmulatedPlatform.url()).contentType("application/json").body(Map.of("mode", mode))
                .post("/emulator/api/mode").then().statusCode(200);
    }

    private static void sleepALittle() {
        try {
            Thread.sleep(400);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static io.restassured.path.json.JsonPath stored(String psid) {
        return given().header("X-Api-Key", Platform.ADMIN_KEY)
                .get("/threads/{page}/{user}", state().path("pageId").asText(), psid).then().statusCode(200)
                .extract().jsonPath();
    }

    /** The function's view, once its deliveries have been handled. */
    private static void eventuallyStored(String psid, String role) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!role.equals(stored(psid).getString("owner.role"))) {
            assertThat(System.nanoTime()).as("stored role of %s", psid).isLessThan(end);
            sleepALittle();
        }
    }

    @Test
    void theClockRunsTheSweepTheTeamsAlertAppearsAndTheQueueShowsTheWait() {
        var psid = addUser("Noor");
        userTapsQuickReply(psid, "Talk to a person", "TALK_TO_PERSON");
        eventually(psid, conv -> conv.path("role").asText().equals("inbox"), "the pass to the Page Inbox");
        eventuallyStored(psid, "page_inbox");
        var account = state().path("pageId").asText();
        assertThat(EmulatedPlatform.queue(account).path("waiting").findValuesAsText("userId")).contains(psid);

        var moved = EmulatedPlatform.clock(Map.of("minutes", 10));
        assertThat(moved.path("sweep").path("alerted").asInt()).isGreaterThanOrEqualTo(1);
        var alerts = new ArrayList<JsonNode>();
        state().path("timeline").forEach(t -> {
            if (t.path("kind").asText().equals("alert") && t.path("detail").path("message").asText()
                    .contains("User: " + psid)) {
                alerts.add(t);
            }
        });
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.path("title").asText())
                .startsWith("Nobody answered for 10 min"));
        var waiting = EmulatedPlatform.queue(account).path("waiting");
        var entry = java.util.stream.StreamSupport.stream(waiting.spliterator(), false)
                .filter(t -> t.path("userId").asText().equals(psid)).findFirst().orElseThrow();
        assertThat(entry.path("alerted").asBoolean()).isTrue();
        // The operator API counts on the real clock; the page counts on its own, which the clock control moved.
        assertThat(moved.path("now").asLong() - java.time.Instant.parse(entry.path("since").asText()).toEpochMilli())
                .isGreaterThanOrEqualTo(600_000L);

        var tomorrow = EmulatedPlatform.clock(Map.of("timeOfDay", "09:00", "zone", "Europe/Paris"));
        assertThat(tomorrow.path("now").asLong()).isGreaterThan(moved.path("now").asLong());
        assertThat(java.time.Instant.ofEpochMilli(tomorrow.path("now").asLong()).atZone(java.time.ZoneId.of(
                "Europe/Paris")).toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
                .isEqualTo(java.time.LocalTime.of(9, 0));
        given().baseUri(EmulatedPlatform.url()).contentType("application/json").body(Map.of("timeOfDay", "25:00"))
                .post("/emulator/api/clock").then().statusCode(400);
        given().baseUri(EmulatedPlatform.url()).contentType("application/json")
                .body(Map.of("timeOfDay", "09:00", "day", "Someday")).post("/emulator/api/clock").then()
                .statusCode(400);

        // On to a day of the week: the first Sunday 08:00 ahead, and the sweep runs and says what it did.
        int sweeps = timelineOf("sweep").size();
        var sunday = EmulatedPlatform.clock(Map.of("timeOfDay", "08:00", "zone", "Europe/Paris", "day", "Sun"));
        var at = java.time.Instant.ofEpochMilli(sunday.path("now").asLong()).atZone(java.time.ZoneId.of(
                "Europe/Paris"));
        assertThat(at.getDayOfWeek()).isEqualTo(java.time.DayOfWeek.SUNDAY);
        assertThat(at.toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
                .isEqualTo(java.time.LocalTime.of(8, 0));
        assertThat(sunday.path("now").asLong() - tomorrow.path("now").asLong()).isLessThanOrEqualTo(
                java.time.Duration.ofDays(7).toMillis());
        assertThat(timelineOf("sweep")).hasSize(sweeps + 1);
        assertThat(timelineOf("sweep").getLast().path("title").asText()).startsWith("sweep: ");
    }

    @Test
    void everyMoveOfTheClockShowsTheSweepNothingDueIncluded() {
        EmulatedPlatform.clock(Map.of("minutes", 1)); // whatever was due from other tests is done now
        int sweeps = timelineOf("sweep").size();
        var moved = EmulatedPlatform.clock(Map.of("minutes", 1));
        assertThat(moved.path("sweep").path("visited").asInt()).isZero();
        assertThat(timelineOf("sweep")).hasSize(sweeps + 1);
        assertThat(timelineOf("sweep").getLast().path("title").asText()).isEqualTo("sweep: nothing due");
        assertThat(timelineOf("clock").getLast().path("title").asText()).startsWith("+1 min: now ")
                .endsWith(" Europe/Paris");
    }

    /** A queue the function fails to give is an error naming the call and the answer, never an empty queue. */
    @Test
    void aQueueCallThatFailsIsAnError() {
        var account = state().path("pageId").asText();
        Platform.storage().down(); // the function's DynamoDB goes away: it answers 500
        try {
            var answer = given().baseUri(EmulatedPlatform.url()).queryParam("account", account)
                    .get("/emulator/api/queue").then().statusCode(502).extract().jsonPath();
            assertThat(answer.getString("error")).startsWith("the function answered 500 to GET /threads/" + account
                    + "?state=waiting").endsWith(": storage unavailable, retry later");
            assertThat(answer.getList("waiting")).isNull();
        } finally {
            Platform.storage().up();
        }
        given().baseUri(EmulatedPlatform.url()).queryParam("account", account).get("/emulator/api/queue").then()
                .statusCode(200);
    }

    /**
     * The operator's queues answer in every state: a conversation the bot held that an agent answered is with an agent
     * (no hand-over, so no wait to tell), and after the operator's take it is the bot's.
     */
    @Test
    void theQueuesAnswerWithAnAgentAfterAnAnswerAndBotAfterATake() {
        var psid = addUser("Yuki");
        userSays(psid, "hi");
        eventually(psid, lastLine("bot", "assistant"), "the greeting");
        agent(psid, "replies", Map.of("text", "Hello Yuki, Jo here.")).then().statusCode(200);
        eventuallyStored(psid, "page_inbox");
        var page = state().path("pageId").asText();
        assertThat(queue(page, "with-agent")).contains(psid);

        given().header("X-Api-Key", Platform.ADMIN_KEY).post("/threads/{page}/{user}/take", page, psid).then()
                .statusCode(200);
        eventuallyStored(psid, "bot");
        assertThat(queue(page, "bot")).contains(psid);
        assertThat(queue(page, "with-agent")).doesNotContain(psid);
    }

    /** The users in one of the function's queues, as the operator API gives it. */
    private static java.util.List<String> queue(String account, String state) {
        return given().header("X-Api-Key", Platform.ADMIN_KEY).queryParam("state", state)
                .get("/threads/{account}", account).then().statusCode(200).extract().jsonPath()
                .getList("threads.userId", String.class);
    }

    /** Each account's routing asked again when the Page's changes, once per account: not on every event. */
    @Test
    void theRoutingIsAskedOnTheSwitchNotOnEveryEvent() {
        var psid = addUser("Omar");
        userSays(psid, "hi");
        eventually(psid, lastLine("bot", "assistant"), "the greeting");
        int probes = timelineOf("graph").stream().filter(t -> t.path("title").asText().contains(
                "messaging_feature_status")).toList().size();
        userSays(psid, "what about delivery?");
        eventually(psid, lastLine("bot", "Orders ship"), "the answer");
        assertThat(timelineOf("graph").stream().filter(t -> t.path("title").asText().contains(
                "messaging_feature_status")).toList()).as("probes while nothing changed").hasSize(probes);

        mode("default-behaviour");
        var after = timelineOf("graph").stream().filter(t -> t.path("title").asText().contains(
                "messaging_feature_status")).toList();
        assertThat(after).as("one probe per account on the switch").hasSize(probes + 2);
        assertThat(after.getLast().path("detail").path("response").path("messaging_feature_status").path("hop_v2")
                .asBoolean()).isFalse();
    }

    /** The timeline's entries of one kind, oldest first. */
    private static java.util.List<JsonNode> timelineOf(String kind) {
        var out = new ArrayList<JsonNode>();
        state().path("timeline").forEach(t -> {
            if (t.path("kind").asText().equals(kind)) {
                out.add(t);
            }
        });
        return out;
    }

    @Test
    void emulatedGraphChecksTheTokenAndTheBodyOverHttp() {
        var psid = addUser("Kofi");
        var graph = EmulatedPlatform.url() + "/emulator/graph/v23.0/me";

        given().contentType("application/json").body("{\"recipient\":{\"id\":\"" + psid + "\"}}")
                .post(graph + "/messages").then().statusCode(400)
                .body("error.code", org.hamcrest.Matchers.is(190))
                .body("error.type", org.hamcrest.Matchers.is("OAuthException"));
        given().queryParam("access_token", Platform.PAGE_TOKEN).contentType("application/json").body("{not json")
                .post(graph + "/messages").then().statusCode(400).body("error.code", org.hamcrest.Matchers.is(100));
        given().header("Authorization", "Bearer " + Platform.PAGE_TOKEN).queryParam("recipient", psid)
                .get(graph + "/thread_owner").then().statusCode(200)
                .body("data", org.hamcrest.Matchers.empty()); // nobody wrote yet: idle
        given().header("Authorization", "Bearer " + Platform.PAGE_TOKEN).queryParam("fields",
                "messaging_feature_status").get(graph).then().statusCode(200)
                .body("messaging_feature_status.hop_v2", org.hamcrest.Matchers.is(true));
        given().header("Authorization", "Bearer " + Platform.PAGE_TOKEN).contentType("application/json")
                .body("{\"recipient\":{\"id\":\"" + psid + "\"},\"target_app_id\":\"42\"}")
                .post(graph + "/pass_thread_control").then().statusCode(400)
                .body("error.code", org.hamcrest.Matchers.is(100));
        given().get(EmulatedPlatform.url() + "/emulator/nothing-here").then().statusCode(404);
    }

    static java.util.List<String> texts(JsonNode conversation, String from) {
        var out = new ArrayList<String>();
        conversation.path("messages").forEach(m -> {
            if (m.path("from").asText().equals(from)) {
                out.add(m.path("text").asText());
            }
        });
        return out;
    }

    /** The webhook deliveries and Graph calls about one user. */
    static java.util.List<JsonNode> timeline(String psid) {
        var out = new ArrayList<JsonNode>();
        state().path("timeline").forEach(t -> {
            var kind = t.path("kind").asText();
            if ((kind.equals("webhook") || kind.equals("graph")) && t.toString().contains(psid)) {
                out.add(t);
            }
        });
        return out;
    }

    /** The Graph calls on the user's timeline, as "METHOD endpoint" (the node, {@code me} or the Page id, left out). */
    static java.util.List<String> graphCalls(String psid) {
        return timeline(psid).stream().filter(t -> t.path("kind").asText().equals("graph"))
                .map(t -> t.path("title").asText().replaceFirst(" [^ /]+/", " ")).toList();
    }
}
