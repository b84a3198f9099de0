package dev.messengerhandover.dev.platform;

import static dev.messengerhandover.dev.platform.WhatsAppPlatform.HANDOVERS;
import static dev.messengerhandover.dev.platform.WhatsAppPlatform.MESSAGES;
import static dev.messengerhandover.dev.platform.WhatsAppPlatform.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.platform.WhatsAppPlatform.Answer;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.Apps;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.Done;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.Event;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.OutsideWindow;
import dev.messengerhandover.dev.platform.WhatsAppPlatform.PhoneNumber;

/**
 * The WhatsApp model that the emulator and the tests' Graph stand-in share, against WhatsApp Conversation Routing as
 * Meta and the BSPs document it: who hears what on which field, what the Cloud API refuses and with which code, the
 * 24 h window and idle timeout, pass / take / release and the helpdesk's implicit take and Done.
 */
class WhatsAppPlatformTest {

    static final String NUMBER_ID = "106540352242922";
    static final String DISPLAY = "15550783881";
    static final String WABA = "102290129340398";
    static final String TOKEN = "wa-token";
    static final String BOT = "1000000000000001";
    static final String HELPDESK = "400000000000006";
    static final String WATCHER = "500000000000007";
    static final Duration DAY = Duration.ofHours(24);
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final AtomicLong clock = new AtomicLong(1_800_000_000_123L);

    WhatsAppPlatform platform() {
        return new WhatsAppPlatform(new PhoneNumber(NUMBER_ID, DISPLAY, WABA, TOKEN), new Apps(BOT, HELPDESK, WATCHER),
                clock::get, false);
    }

    @Test
    void aUserWritingToAnIdleThreadReachesThePrimaryOnMessagesAndTheOthersOnStandby() {
        var p = platform();
        var user = p.addUser("Sheena").waId();
        assertThat(p.ownerOf(user)).as("a new thread is idle").isNull();
        var heard = p.userSends(user, "Hi");
        assertThat(p.ownerOf(user)).as("the primary for the Service entry point owns it").isEqualTo(BOT);

        var bot = to(heard, BOT);
        assertThat(bot.field()).isEqualTo(MESSAGES);
        assertThat(bot.value().path("metadata").path("phone_number_id").asText()).isEqualTo(NUMBER_ID);
        assertThat(bot.value().path("metadata").path("display_phone_number").asText()).isEqualTo(DISPLAY);
        assertThat(bot.value().path("contacts").get(0).path("wa_id").asText()).isEqualTo(user);
        assertThat(bot.value().path("contacts").get(0).path("profile").path("name").asText()).isEqualTo("Sheena");
        var message = bot.value().path("messages").get(0);
        assertThat(message.path("from").asText()).isEqualTo(user);
        assertThat(message.path("type").asText()).isEqualTo("text");
        assertThat(message.path("text").path("body").asText()).isEqualTo("Hi");
        assertThat(message.path("id").asText()).startsWith("wamid.");

        for (var other : List.of(HELPDESK, WATCHER)) {
            var copy = to(heard, other);
            assertThat(copy.field()).isEqualTo(STANDBY);
            assertThat(copy.kind()).isEqualTo("standby.messages");
            assertThat(copy.value().path("standby").path("messages").get(0)).isEqualTo(message);
            assertThat(copy.value().path("standby").path("contacts").get(0).path("wa_id").asText()).isEqualTo(user);
        }
        var delivery = bot.delivery();
        assertThat(delivery.path("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(delivery.path("entry").get(0).path("id").asText()).isEqualTo(WABA);
        assertThat(delivery.path("entry").get(0).path("changes").get(0).path("field").asText()).isEqualTo(MESSAGES);
    }

    @Test
    void aSendIsAnsweredWithTheContactAndTheWamidAndHeardAsStatusesByTheSenderAndEchoesByTheOthers() {
        var p = platform();
        var user = wrote(p);
        var body = text(user, "We open at 9");
        var sent = graph(p, "messages", body);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(sent.body().path("contacts").get(0).path("input").asText()).isEqualTo(user);
        assertThat(sent.body().path("contacts").get(0).path("wa_id").asText()).isEqualTo(user);
        var wamid = sent.body().path("messages").get(0).path("id").asText();
        assertThat(wamid).startsWith("wamid.");

        var statuses = all(sent, BOT).stream().map(e -> e.value().path("statuses").get(0)).toList();
        assertThat(all(sent, BOT)).allSatisfy(e -> assertThat(e.field()).isEqualTo(MESSAGES));
        assertThat(statuses).extracting(s -> s.path("status").asText()).containsExactly("sent", "delivered");
        assertThat(statuses).allSatisfy(s -> {
            assertThat(s.path("id").asText()).isEqualTo(wamid);
            assertThat(s.path("recipient_id").asText()).isEqualTo(user);
            assertThat(s.path("pricing").path("category").asText()).isEqualTo("service");
        });
        var echo = all(sent, HELPDESK).stream().filter(e -> e.kind().equals("standby.message_echoes")).findFirst()
                .orElseThrow();
        var echoed = echo.value().path("standby").path("message_echoes").get(0);
        assertThat(echoed.path("id").asText()).isEqualTo(wamid);
        assertThat(echoed.path("message")).as("the owner's Send API body").isEqualTo(body);
        assertThat(all(sent, WATCHER)).extracting(Event::kind)
                .containsExactly("standby.statuses", "standby.message_echoes", "standby.statuses");
        assertThat(p.thread(user).lines().get(1).path("from").asText()).isEqualTo("bot");
    }

    @Test
    void aFreeFormMessageOutsideThe24HourWindowIsRefusedWith131047ButATemplateIsNot() {
        var p = platform();
        var user = wrote(p);
        clock.addAndGet(DAY.toMillis());
        var refused = graph(p, "messages", text(user, "Still there?"));
        assertError(refused, 400, 131047);
        assertThat(refused.body().path("error").path("message").asText()).contains("Re-engagement message");
        assertThat(refused.body().path("error").path("error_data").path("details").asText()).contains("24 hours");
        assertError(graph(p, "messages", buttons(user, "Still there?", "Yes")), 400, 131047);
        var template = graph(p, "messages", template(user, "order_update"));
        assertThat(template.status()).isEqualTo(200);
        assertThat(p.ownerOf(user)).as("a template moves no ownership").isNull();
    }

    @Test
    void theCloudApiMayInsteadAcceptItAndFailItWithAStatus() {
        var p = platform();
        p.outsideWindow(OutsideWindow.FAIL_LATER);
        var user = wrote(p);
        clock.addAndGet(DAY.toMillis() + 1);
        var accepted = graph(p, "messages", text(user, "Still there?"));
        assertThat(accepted.status()).isEqualTo(200);
        var wamid = accepted.body().path("messages").get(0).path("id").asText();
        var failed = to(accepted, BOT).value().path("statuses").get(0);
        assertThat(failed.path("id").asText()).isEqualTo(wamid);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("errors").get(0).path("code").asInt()).isEqualTo(131047);
        assertThat(failed.path("errors").get(0).path("title").asText()).isEqualTo("Re-engagement message");
        assertThat(accepted.events()).as("only the sender hears of it").hasSize(1);
    }

    @Test
    void aThreadIsIdleAfter24HoursWithoutAMessageFromTheUserEvenAfterAPass() {
        var p = platform();
        var user = wrote(p);
        clock.addAndGet(Duration.ofHours(23).toMillis());
        assertThat(graph(p, "thread_control", control(user, "pass", null)).status()).isEqualTo(200);
        assertThat(p.ownerOf(user)).isEqualTo(HELPDESK);
        clock.addAndGet(Duration.ofHours(1).toMillis());
        assertThat(p.ownerOf(user)).as("24 h from the user's message, not from the pass").isNull();
        assertThat(p.thread(user).lines()).anySatisfy(l -> assertThat(l.path("text").asText()).startsWith("Idle"));
        var back = p.userSends(user, "Hello again");
        assertThat(p.ownerOf(user)).isEqualTo(BOT);
        assertThat(to(back, BOT).field()).isEqualTo(MESSAGES);
        assertThat(to(back, HELPDESK).field()).isEqualTo(STANDBY);
    }

    @Test
    void aPassWithoutTargetGoesToTheEscalationPartnerWhichHearsControlPassed() {
        var p = platform();
        var user = wrote(p);
        var passed = graph(p, "thread_control", control(user, "pass", "user asked for a human"));
        assertThat(passed.status()).isEqualTo(200);
        assertThat(passed.body()).isEqualTo(JSON.objectNode().put("messaging_product", "whatsapp")
                .put("success", true));
        assertThat(p.ownerOf(user)).isEqualTo(HELPDESK);
        assertThat(passed.events()).as("only the new owner hears of it").hasSize(1);
        var handover = to(passed, HELPDESK);
        assertThat(handover.field()).isEqualTo(HANDOVERS);
        var value = handover.value();
        assertThat(value.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(value.path("type").asText()).isEqualTo("control_passed");
        assertThat(value.path("sender").path("phone_number").asText()).isEqualTo(user);
        assertThat(value.path("recipient").path("phone_number_id").asText()).isEqualTo(NUMBER_ID);
        assertThat(value.path("recipient").path("display_phone_number").asText()).isEqualTo(DISPLAY);
        assertThat(value.path("timestamp").asText()).isEqualTo(Long.toString(clock.get() / 1000));
        assertThat(value.path("control_passed").path("previous_owner_role").asText()).isEqualTo("customer_service");
        assertThat(value.path("control_passed").path("new_owner_role").asText()).isEqualTo("escalation");
        assertThat(value.path("control_passed").path("metadata").asText()).isEqualTo("user asked for a human");

        var next = p.userSends(user, "Anyone?");
        assertThat(to(next, HELPDESK).field()).isEqualTo(MESSAGES);
        assertThat(to(next, BOT).field()).isEqualTo(STANDBY);
    }

    @Test
    void onlyTheOwnerMaySendAServiceMessagePassOrRelease() {
        var p = platform();
        var user = wrote(p);
        graph(p, "thread_control", control(user, "pass", null));
        assertError(graph(p, "messages", text(user, "still here")), 403, WhatsAppPlatform.NOT_OWNER);
        assertError(graph(p, "thread_control", control(user, "pass", null)), 403, WhatsAppPlatform.NOT_OWNER);
        assertError(graph(p, "thread_control", control(user, "release", null)), 403, WhatsAppPlatform.NOT_OWNER);
        assertThat(p.ownerOf(user)).isEqualTo(HELPDESK);
        assertThat(graph(p, "messages", template(user, "order_update")).status()).as("templates: any app")
                .isEqualTo(200);

        var idle = p.addUser("Sam").waId();
        assertError(graph(p, "thread_control", control(idle, "pass", null)), 403, WhatsAppPlatform.NOT_OWNER);
    }

    @Test
    void onlyTheEscalationPartnerMayTakeAndThePreviousOwnerHearsControlTaken() {
        var p = platform();
        var user = wrote(p);
        assertError(graph(p, "thread_control", control(user, "take", null)), 400, 2494191);
        assertThat(p.ownerOf(user)).isEqualTo(BOT);

        var taken = p.agentTakes(user, "Human agent stepping in");
        assertThat(taken.status()).isEqualTo(200);
        assertThat(p.ownerOf(user)).isEqualTo(HELPDESK);
        var handover = to(taken, BOT);
        assertThat(handover.field()).isEqualTo(HANDOVERS);
        assertThat(handover.kind()).isEqualTo("control_taken");
        var change = handover.value().path("control_taken");
        assertThat(change.path("previous_owner_role").asText()).isEqualTo("customer_service");
        assertThat(change.path("new_owner_role").asText()).isEqualTo("escalation");
        assertThat(change.path("metadata").asText()).isEqualTo("Human agent stepping in");
        assertThat(taken.events()).hasSize(1);
        assertThat(p.agentTakes(user, null).events()).as("taking what it owns: nothing to tell").isEmpty();
    }

    @Test
    void anAgentsReplyIsAnImplicitTake() {
        var p = platform();
        var user = wrote(p);
        var reply = p.agentReplies(user, "Hi, Jo here");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(p.ownerOf(user)).isEqualTo(HELPDESK);
        var taken = all(reply, BOT).stream().filter(e -> e.field().equals(HANDOVERS)).findFirst().orElseThrow();
        assertThat(taken.kind()).isEqualTo("control_taken");
        assertThat(taken.value().path("control_taken").path("metadata").asText())
                .isEqualTo(WhatsAppPlatform.IMPLICIT_TAKE_METADATA);
        var echo = all(reply, BOT).stream().filter(e -> e.kind().equals("standby.message_echoes")).findFirst()
                .orElseThrow();
        assertThat(echo.value().path("standby").path("message_echoes").get(0).path("message").path("text")
                .path("body").asText()).isEqualTo("Hi, Jo here");
        assertThat(all(reply, HELPDESK)).extracting(Event::kind).containsExactly("statuses", "statuses");
        assertThat(p.thread(user).lines()).anySatisfy(l -> {
            assertThat(l.path("from").asText()).isEqualTo("agent");
            assertThat(l.path("text").asText()).isEqualTo("Hi, Jo here");
        });
    }

    @Test
    void doneByPassBackGivesTheThreadToThePrimaryWithControlPassed() {
        var p = platform();
        var user = handedOver(p);
        var done = p.agentDone(user, Done.PASS_BACK, "Conversation marked done");
        assertThat(p.ownerOf(user)).isEqualTo(BOT);
        var handover = to(done, BOT);
        assertThat(handover.kind()).isEqualTo("control_passed");
        var change = handover.value().path("control_passed");
        assertThat(change.path("previous_owner_role").asText()).isEqualTo("escalation");
        assertThat(change.path("new_owner_role").asText()).isEqualTo("customer_service");
        assertThat(change.path("metadata").asText()).isEqualTo("Conversation marked done");
        assertThat(graph(p, "messages", text(user, "Anything else?")).status()).isEqualTo(200);
    }

    @Test
    void doneByReleaseLeavesTheThreadIdleAndNoWebhookSaysSo() {
        var p = platform();
        var user = handedOver(p);
        var done = p.agentDone(user, Done.RELEASE);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.events()).isEmpty();
        assertThat(p.ownerOf(user)).isNull();
        var next = p.userSends(user, "one more thing");
        assertThat(p.ownerOf(user)).isEqualTo(BOT);
        assertThat(to(next, BOT).field()).isEqualTo(MESSAGES);

        var released = graph(p, "thread_control", control(user, "release", null));
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.events()).as("the bot's own release: silence too").isEmpty();
        assertThat(p.ownerOf(user)).isNull();
    }

    @Test
    void thePrimaryMayAnswerAThreadReleasedWithinTheWindowAndOwnsIt() {
        var p = platform();
        var user = handedOver(p);
        p.agentDone(user, Done.RELEASE);
        assertThat(graph(p, "messages", text(user, "Was this helpful?")).status()).isEqualTo(200);
        assertThat(p.ownerOf(user)).isEqualTo(BOT);
    }

    @Test
    void replyButtonsAreLimitedToThreeOfTwentyCharactersUnderABodyOf1024() {
        var p = platform();
        var user = wrote(p);
        assertThat(graph(p, "messages", buttons(user, "b".repeat(1024), "a".repeat(20), "Two", "Three")).status())
                .isEqualTo(200);
        assertError(graph(p, "messages", buttons(user, "Pick", "1", "2", "3", "4")), 400, 131009);
        assertError(graph(p, "messages", buttons(user, "Pick")), 400, 131009);
        assertError(graph(p, "messages", buttons(user, "Pick", "a".repeat(21))), 400, 131009);
        assertError(graph(p, "messages", buttons(user, "b".repeat(1025), "One")), 400, 131009);
        assertError(graph(p, "messages", buttons(user, "Pick", "Same", "Same")), 400, 131009);
        assertError(graph(p, "messages", text(user, "x".repeat(4097))), 400, 131009);
        assertThat(graph(p, "messages", text(user, "x".repeat(4096))).status()).isEqualTo(200);
        var list = buttons(user, "Pick", "One");
        ((ObjectNode) list.path("interactive")).put("type", "list");
        assertError(graph(p, "messages", list), 400, 100);
    }

    @Test
    void aTappedReplyButtonReachesTheOwnerAsAButtonReplyNamingTheMessage() {
        var p = platform();
        var user = wrote(p);
        var sent = graph(p, "messages", buttons(user, "Can I help?", "Talk to a person"));
        var wamid = sent.body().path("messages").get(0).path("id").asText();
        var tap = p.userTaps(user, "Talk to a person".toUpperCase().replace(' ', '_'));
        var message = to(tap, BOT).value().path("messages").get(0);
        assertThat(message.path("type").asText()).isEqualTo("interactive");
        assertThat(message.path("interactive").path("type").asText()).isEqualTo("button_reply");
        assertThat(message.path("interactive").path("button_reply").path("id").asText()).isEqualTo("TALK_TO_A_PERSON");
        assertThat(message.path("interactive").path("button_reply").path("title").asText())
                .isEqualTo("Talk to a person");
        assertThat(message.path("context").path("id").asText()).isEqualTo(wamid);
        assertThat(message.path("context").path("from").asText()).isEqualTo(DISPLAY);
        assertThat(to(tap, HELPDESK).kind()).isEqualTo("standby.messages");
        assertThat(p.userTaps(user, "NO_SUCH_BUTTON").status()).isEqualTo(400);
    }

    @Test
    void readingTheChatSendsReadStatusesToEachMessagesSender() {
        var p = platform();
        var user = wrote(p);
        var wamid = graph(p, "messages", text(user, "Hello")).body().path("messages").get(0).path("id").asText();
        var read = p.userReads(user);
        var status = to(read, BOT).value().path("statuses").get(0);
        assertThat(status.path("status").asText()).isEqualTo("read");
        assertThat(status.path("id").asText()).isEqualTo(wamid);
        assertThat(p.userReads(user).events()).as("once").isEmpty();
    }

    @Test
    void graphChecksTheTokenTheNumberAndTheParametersAsTheCloudApiDoes() {
        var p = platform();
        var user = wrote(p);
        assertError(p.graph("POST", NUMBER_ID, "messages", "wrong", text(user, "x"), Map.of()), 401, 190);
        assertError(p.graph("POST", NUMBER_ID, "messages", null, text(user, "x"), Map.of()), 401, 190);
        assertThat(p.graph("POST", "999", "messages", TOKEN, text(user, "x"), Map.of()).body().path("error")
                .path("error_subcode").asInt()).isEqualTo(33);
        assertError(graph(p, "unknown_edge", text(user, "x")), 400, 100);
        var noProduct = text(user, "x");
        noProduct.remove("messaging_product");
        assertError(graph(p, "messages", noProduct), 400, 100);
        var noRecipient = text(user, "x");
        noRecipient.remove("to");
        assertError(graph(p, "messages", noRecipient), 400, 100);
        assertError(graph(p, "messages", text(user, " ")), 400, 100);
        var image = text(user, "x").put("type", "image");
        assertError(graph(p, "messages", image), 400, 100);
        assertError(graph(p, "thread_control", control(user, "extend", null)), 400, 100);
        assertError(graph(p, "thread_control", control(user, "pass", "m".repeat(2001))), 400, 131009);
        var toAgent = control(user, "pass", null);
        toAgent.putObject("control_pass").put("target_role", "ai_agent");
        assertError(graph(p, "thread_control", toAgent), 400, 100);
        var misplaced = control(user, "release", null);
        misplaced.putObject("control_pass");
        assertError(graph(p, "thread_control", misplaced), 400, 100);
        assertThat(graph(p, "thread_control", control(user, "pass", "m".repeat(2000))).status()).isEqualTo(200);
        assertThat(p.graph("POST", NUMBER_ID, "messages", TOKEN, text("+" + user, "x"), Map.of()).status())
                .as("'+' and the digits are one user, whose thread the helpdesk owns now").isEqualTo(403);
    }

    @Test
    void anAppGrantedAGraphTokenActsAsItself() {
        var p = platform();
        p.grant(HELPDESK, "helpdesk-token");
        var user = wrote(p);
        var taken = p.graph("POST", NUMBER_ID, "thread_control", "helpdesk-token", control(user, "take", null),
                Map.of());
        assertThat(taken.status()).isEqualTo(200);
        assertThat(to(taken, BOT).kind()).isEqualTo("control_taken");
        p.token("rotated");
        assertError(graph(p, "messages", text(user, "x")), 401, 190);
    }

    @Test
    void withoutStandbyAnAppHearsNothingOfThreadsItDoesNotOwn() {
        var p = platform();
        p.standby(BOT, false);
        var user = handedOver(p);
        var message = p.userSends(user, "Hello?");
        assertThat(message.events()).extracting(Event::appId).containsExactlyInAnyOrder(HELPDESK, WATCHER);
        assertThat(p.agentReplies(user, "Hi").events()).extracting(Event::appId).doesNotContain(BOT);
    }

    @Test
    void aUserWithABusinessScopedIdIsNamedByItEverywhereAndReachableByIt() {
        var p = platform();
        var user = p.addUser("Kim", "447700900123", "US.13491208655302741918").waId();
        var heard = p.userSends(user, "Hi");
        var value = to(heard, BOT).value();
        assertThat(value.path("contacts").get(0).path("user_id").asText()).isEqualTo("US.13491208655302741918");
        assertThat(value.path("messages").get(0).path("from_user_id").asText()).isEqualTo("US.13491208655302741918");
        var body = text(user, "Hello Kim");
        body.remove("to");
        body.put("recipient", "US.13491208655302741918");
        var sent = graph(p, "messages", body);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().path("contacts").get(0).path("input").asText()).isEqualTo("US.13491208655302741918");
        assertThat(to(sent, BOT).value().path("statuses").get(0).path("recipient_user_id").asText())
                .isEqualTo("US.13491208655302741918");
        var pass = control(user, "pass", null);
        pass.remove("to");
        pass.put("recipient", "US.13491208655302741918");
        assertThat(graph(p, "thread_control", pass).status()).isEqualTo(200);
        assertThat(p.ownerOf(user)).isEqualTo(HELPDESK);
    }

    @Test
    void everyTimestampIsAStringOfSeconds() {
        var p = platform();
        var user = wrote(p);
        var events = new ArrayList<Event>();
        events.addAll(graph(p, "messages", buttons(user, "Help?", "Talk to a person")).events());
        events.addAll(p.userTaps(user, "TALK_TO_A_PERSON").events());
        events.addAll(graph(p, "thread_control", control(user, "pass", null)).events());
        events.addAll(p.agentReplies(user, "Hi").events());
        events.addAll(p.userReads(user).events());
        events.addAll(p.agentDone(user, Done.PASS_BACK).events());
        p.agentReplies(user, "Taken again");
        events.addAll(p.agentReplies(user, "Still me").events());
        var timestamps = new ArrayList<JsonNode>();
        events.forEach(e -> collect(e.value(), timestamps));
        assertThat(timestamps).hasSizeGreaterThan(events.size() - 1);
        assertThat(timestamps).allSatisfy(ts -> {
            assertThat(ts.isTextual()).as(ts.toString()).isTrue();
            assertThat(ts.asText()).isEqualTo(Long.toString(clock.get() / 1000));
        });
    }

    private static void collect(JsonNode node, List<JsonNode> timestamps) {
        if (node.has("timestamp")) {
            timestamps.add(node.get("timestamp"));
        }
        node.forEach(child -> collect(child, timestamps));
    }

    private String wrote(WhatsAppPlatform p) {
        var user = p.addUser("User").waId();
        p.userSends(user, "Hi");
        return user;
    }

    private String handedOver(WhatsAppPlatform p) {
        var user = wrote(p);
        assertThat(graph(p, "thread_control", control(user, "pass", null)).status()).isEqualTo(200);
        return user;
    }

    private static Answer graph(WhatsAppPlatform p, String edge, JsonNode body) {
        return p.graph("POST", NUMBER_ID, edge, TOKEN, body, Map.of());
    }

    /** The first event for {@code app}, {@code null} when none. */
    private static Event to(Answer answer, String app) {
        return answer.events().stream().filter(e -> e.appId().equals(app)).findFirst().orElse(null);
    }

    private static List<Event> all(Answer answer, String app) {
        return answer.events().stream().filter(e -> e.appId().equals(app)).toList();
    }

    static ObjectNode text(String user, String text) {
        var body = JSON.objectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", user).put("type", "text");
        body.putObject("text").put("body", text);
        return body;
    }

    /** Reply buttons titled {@code titles}, their ids the titles in upper case with underscores. */
    static ObjectNode buttons(String user, String text, String... titles) {
        var body = JSON.objectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", user).put("type", "interactive");
        var interactive = body.putObject("interactive").put("type", "button");
        interactive.putObject("body").put("text", text);
        var list = interactive.putObject("action").putArray("buttons");
        for (var title : titles) {
            list.addObject().put("type", "reply").putObject("reply").put("id", title.toUpperCase().replace(' ', '_'))
                    .put("title", title);
        }
        return body;
    }

    static ObjectNode template(String user, String name) {
        var body = JSON.objectNode().put("messaging_product", "whatsapp").put("to", user).put("type", "template");
        body.putObject("template").put("name", name).putObject("language").put("code", "en_US");
        return body;
    }

    static ObjectNode control(String user, String action, String metadata) {
        var body = JSON.objectNode().put("messaging_product", "whatsapp").put("to", user).put("action", action);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return body;
    }

    static void assertError(Answer answer, int status, int code) {
        var error = answer.body().path("error");
        assertThat(answer.status()).as(error.toString()).isEqualTo(status);
        assertThat(error.path("code").asInt()).as(error.toString()).isEqualTo(code);
        assertThat(error.path("type").asText()).isEqualTo("OAuthException");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("fbtrace_id").asText()).isNotBlank();
    }
}
