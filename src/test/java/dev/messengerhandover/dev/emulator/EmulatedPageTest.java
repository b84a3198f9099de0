package dev.messengerhandover.dev.emulator;

import static dev.messengerhandover.dev.emulator.EmulatedPage.MESSAGING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.messengerhandover.dev.platform.MessengerPlatform.Done;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;

/**
 * The emulator's page around the platform model ({@code MessengerPlatformTest} has the platform's rules): what becomes
 * a delivery to the bot's webhook, what the timeline shows, the clock, the names of new users.
 */
class EmulatedPageTest {

    static final String PAGE = "100000000000001";
    static final String TOKEN = "page-token";
    static final String BOT = "1000000000000001";
    static final String INBOX = "263902037430900";
    static final String NUMBER = "105000000000001";
    static final String HELPDESK = "400000000000001";

    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    EmulatedPage page;
    String user;

    @BeforeEach
    void newPage() {
        page = new EmulatedPage(PAGE, TOKEN, BOT, INBOX, Mode.ROUTING, clock::get);
        user = page.addUser("Alex");
    }

    @Test
    void theBotsEventsBecomeDeliveriesTheInboxsAreOnTheTimeline() {
        var outcome = page.userSends(user, "hi", null);
        assertThat(outcome.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo(MESSAGING);
            assertThat(d.event().path("message").path("text").asText()).isEqualTo("hi");
            assertThat(d.body().path("object").asText()).isEqualTo("page");
            assertThat(d.body().path("entry").get(0).path("id").asText()).isEqualTo(PAGE);
            assertThat(d.body().path("entry").get(0).path(MESSAGING).get(0)).isEqualTo(d.event());
        });
        assertThat(kinds()).contains("webhook", "inbox", "action");
    }

    @Test
    void everyGraphCallIsOnTheTimelineWithItsAnswer() {
        page.userSends(user, "hi", null);
        page.graph("POST", "me", "messages", TOKEN, send("one"), Map.of());
        page.graph("POST", "me", "messages", "wrong", send("two"), Map.of());
        var calls = new ArrayList<JsonNode>();
        page.snapshot().path("timeline").forEach(t -> {
            if (t.path("kind").asText().equals("graph")) {
                calls.add(t);
            }
        });
        assertThat(calls).extracting(t -> t.path("status").asInt()).containsExactly(200, 400);
        assertThat(calls.get(1).path("detail").path("response").path("error").path("code").asInt()).isEqualTo(190);
    }

    @Test
    void longTextsDoNotFloodTheTimelineTheirJsonKeepsThemWhole() {
        var long3000 = "a very long message ".repeat(150);
        page.userSends(user, long3000, null);
        page.snapshot().path("timeline").forEach(t -> assertThat(t.path("title").asText())
                .hasSizeLessThanOrEqualTo(EmulatedPage.TITLE_LIMIT));
        var webhook = new ArrayList<JsonNode>();
        page.snapshot().path("timeline").forEach(t -> {
            if (t.path("kind").asText().equals("webhook")) {
                webhook.add(t);
            }
        });
        assertThat(webhook.get(0).path("detail").path("message").path("text").asText()).isEqualTo(long3000);
    }

    @Test
    void newUsersGetNamesNotUsedYet() {
        var names = new HashSet<String>();
        names.add("Alex");
        for (int i = 0; i < 15; i++) {
            var psid = page.addUser(null);
            page.snapshot().path("conversations").forEach(c -> {
                if (c.path("psid").asText().equals(psid)) {
                    assertThat(names.add(c.path("name").asText())).as("name %s repeats", c.path("name")).isTrue();
                }
            });
        }
    }

    @Test
    void theClockMovesForwardAndQuietControlExpires() {
        assertThat(handOver()).isEqualTo(200);
        assertThat(page.ownerOf(user)).isEqualTo(INBOX);
        long before = page.now();
        page.advance(Duration.ofHours(24));
        assertThat(page.now()).isEqualTo(before + Duration.ofHours(24).toMillis());
        assertThat(page.ownerOf(user)).isNull();
        assertThat(kinds()).contains("clock");
        assertThat(page.snapshot().path("now").asLong()).isEqualTo(page.now());
    }

    @Test
    void theClockStartsAtAStatedMomentTheNextOneAheadWhateverTheTimeNow() {
        var paris = java.time.ZoneId.of("Europe/Paris");
        var monday = java.time.DayOfWeek.MONDAY;
        var nineThirty = java.time.LocalTime.of(9, 30);
        // Every hour of a fortnight, DST changes included: a Monday 09:30 in Paris, within a week ahead.
        var from = java.time.Instant.parse("2026-03-20T00:00:00Z");
        for (int hour = 0; hour < 24 * 14; hour++) {
            var now = from.plus(Duration.ofHours(hour).plusMinutes(17));
            var start = EmulatedPage.next(monday, nineThirty, paris, now);
            assertThat(start.atZone(paris).getDayOfWeek()).isEqualTo(monday);
            assertThat(start.atZone(paris).toLocalTime()).isEqualTo(nineThirty);
            assertThat(start).isAfterOrEqualTo(now).isBefore(now.plus(Duration.ofDays(7)));
        }
        assertThat(Emulator.start("Mon 09:30", paris, java.time.Instant.parse("2026-12-06T02:14:00Z")))
                .isEqualTo(java.time.Instant.parse("2026-12-07T08:30:00Z"));
        assertThat(Emulator.start("tuesday 18:05", java.time.ZoneOffset.UTC,
                java.time.Instant.parse("2026-12-08T18:05:00Z"))).isEqualTo(java.time.Instant.parse(
                        "2026-12-08T18:05:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Emulator.start("09:30", paris,
                java.time.Instant.now())).hasMessageContaining("emulator.clock-start");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Emulator.start("Moonday 09:30", paris,
                java.time.Instant.now())).hasMessageContaining("\"Mon 09:30\"");

        var fresh = new EmulatedPage(PAGE, TOKEN, BOT, INBOX, Mode.ROUTING, clock::get);
        fresh.zones(java.util.List.of("Europe/Paris", "UTC"));
        fresh.startAt(java.time.Instant.parse("2026-12-07T08:30:00Z"));
        assertThat(fresh.now()).isEqualTo(java.time.Instant.parse("2026-12-07T08:30:00Z").toEpochMilli());
        clock.addAndGet(60_000); // real time runs, the platform's with it
        assertThat(fresh.now()).isEqualTo(java.time.Instant.parse("2026-12-07T08:31:00Z").toEpochMilli());
        assertThat(fresh.snapshot().path("zone").asText()).isEqualTo("Europe/Paris");
        assertThat(fresh.snapshot().path("timeline").get(0).path("title").asText())
                .isEqualTo("the clock starts at Mon 7 Dec 09:30 Europe/Paris");
    }

    @Test
    void setTimeCanPickADayAndTheTimelineSaysWhereTheClockIsInItsZone() {
        page.zones(java.util.List.of("Europe/Paris", "UTC"));
        var paris = java.time.ZoneId.of("Europe/Paris");
        page.startAt(java.time.Instant.parse("2026-12-06T10:00:00Z")); // a Sunday, 11:00 in Paris
        var by = page.advanceTo(java.time.DayOfWeek.SUNDAY, java.time.LocalTime.of(9, 0), paris);
        assertThat(by).isEqualTo(Duration.ofDays(7).minusHours(2));
        assertThat(java.time.Instant.ofEpochMilli(page.now()).atZone(paris).toLocalDateTime())
                .isEqualTo(java.time.LocalDateTime.parse("2026-12-13T09:00"));
        assertThat(lastTitle("clock")).isEqualTo("to Sun 09:00 Europe/Paris (+6 d 22 h): now Sun 13 Dec 09:00"
                + " Europe/Paris");
        page.advanceTo(null, java.time.LocalTime.of(20, 0), paris); // today, still ahead
        assertThat(java.time.Instant.ofEpochMilli(page.now()).atZone(paris).toLocalDateTime())
                .isEqualTo(java.time.LocalDateTime.parse("2026-12-13T20:00"));
        page.advanceTo(null, java.time.LocalTime.of(9, 0), paris); // past today: tomorrow
        assertThat(java.time.Instant.ofEpochMilli(page.now()).atZone(paris).getDayOfWeek())
                .isEqualTo(java.time.DayOfWeek.MONDAY);
        page.advance(Duration.ofMinutes(10));
        assertThat(lastTitle("clock")).isEqualTo("+10 min: now Mon 14 Dec 09:10 Europe/Paris");
        page.swept("sweep: nothing due", true);
        assertThat(lastTitle("sweep")).isEqualTo("sweep: nothing due");
        assertThat(EmulatedPage.describe(Duration.ofMinutes(60 * 13 + 30))).isEqualTo("13 h 30 min");
        assertThat(EmulatedPage.describe(Duration.ofHours(1))).isEqualTo("1 h");
    }

    /** The Inbox's notification lists a conversation while the Inbox holds it unread, and no longer. */
    @Test
    void aConversationNeedsAPersonWhileTheInboxHoldsItUnread() {
        handOver();
        assertThat(conversation().path("needsPerson").asBoolean()).isTrue();
        page.advance(Duration.ofHours(25)); // nobody answered: control lapsed, the thread is idle
        assertThat(conversation().path("role").asText()).isEqualTo("idle");
        assertThat(conversation().path("notified").asBoolean()).as("still unread in the Inbox").isTrue();
        assertThat(conversation().path("needsPerson").asBoolean()).isFalse();
    }

    @Test
    void theModeIsThePagesAndTheSnapshotSaysWhich() {
        assertThat(page.snapshot().path("mode").asText()).isEqualTo("routing");
        page.mode(Mode.DEFAULT_BEHAVIOUR);
        assertThat(page.snapshot().path("mode").asText()).isEqualTo("default-behaviour");
        assertThat(page.userSends(user, "hi", null).deliveries()).singleElement()
                .satisfies(d -> assertThat(d.channel()).isEqualTo(MESSAGING));
        assertThat(page.agentDone(user, Done.RELEASE).deliveries()).isEmpty();
    }

    @Test
    void severalPagesAndAnInstagramAccountOneDeliveryPerKindWithAnEntryPerAccount() {
        var pages = new EmulatedPage(java.util.List.of(new EmulatedPage.PageSpec(PAGE, TOKEN, "Shop", "17841"),
                new EmulatedPage.PageSpec("100000000000002", "cafe-token", "Café", null)), BOT, INBOX,
                "1217981644879628", Mode.ROUTING, clock::get);
        var alex = pages.addUser("Alex", PAGE);
        var ig = pages.addUser("Ines", "17841");
        var cafe = pages.addUser("Chloé", "100000000000002");
        assertThat(java.util.List.of(alex, ig, cafe)).doesNotHaveDuplicates();
        assertThat(ig).startsWith("8");
        var snapshot = pages.snapshot();
        assertThat(snapshot.path("accounts").findValuesAsText("platform")).containsExactly("messenger", "instagram",
                "messenger");

        var batch = pages.everyAccountSays("hello");
        assertThat(batch.deliveries()).hasSize(2);
        var messenger = batch.deliveries().get(0).body();
        assertThat(messenger.path("object").asText()).isEqualTo("page");
        assertThat(java.util.stream.StreamSupport.stream(messenger.path("entry").spliterator(), false)
                .map(e -> e.path("id").asText())).containsExactly(PAGE, "100000000000002");
        var instagram = batch.deliveries().get(1).body();
        assertThat(instagram.path("object").asText()).isEqualTo("instagram");
        assertThat(instagram.path("entry").get(0).path("id").asText()).isEqualTo("17841");
        assertThat(instagram.path("entry").get(0).path(MESSAGING).get(0).path("sender").path("id").asText())
                .isEqualTo(ig);
        // Each Page takes its own token only.
        var send = JsonNodeFactory.instance.objectNode();
        send.putObject("recipient").put("id", cafe);
        send.putObject("message").put("text", "bonjour");
        assertThat(pages.graph("POST", "100000000000002", "messages", "cafe-token", send, Map.of()).status())
                .isEqualTo(200);
        assertThat(pages.graph("POST", "100000000000002", "messages", TOKEN, send, Map.of()).status())
                .isEqualTo(400);
    }

    /**
     * A WhatsApp number next to the Page: the bot's events become WhatsApp deliveries, the helpdesk's are on the
     * timeline (not the statuses of messages), Graph calls on the number reach its model, and the snapshot says who
     * holds each conversation and until when the 24 h window is open.
     */
    @Test
    void aWhatsAppNumbersBotEventsAreDeliveriesItsHelpdesksOnTheTimeline() {
        page.addNumber(new EmulatedPage.NumberSpec(NUMBER, "15550000001", "102000000000001", "wa-token", "Shop",
                HELPDESK));
        var waId = page.addWhatsAppUser(null, null);
        var said = page.whatsAppUserSends(waId, "hi");
        assertThat(said.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.body().path("object").asText()).isEqualTo("whatsapp_business_account");
            var change = d.body().path("entry").get(0).path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("messages");
            assertThat(change.path("value").path("messages").get(0).path("text").path("body").asText())
                    .isEqualTo("hi");
        });
        assertThat(lastTitle("webhook")).isEqualTo("to the bot on messages: messages (WhatsApp " + NUMBER + ")");
        assertThat(lastTitle("helpdesk")).isEqualTo("to the helpdesk on standby: messages");

        var body = JsonNodeFactory.instance.objectNode().put("messaging_product", "whatsapp").put("to", waId)
                .put("action", "pass");
        var passed = page.graph("POST", NUMBER, "thread_control", "wa-token", body, Map.of());
        assertThat(passed.status()).isEqualTo(200);
        assertThat(passed.deliveries()).as("control_passed goes to the helpdesk only").isEmpty();
        assertThat(lastTitle("graph")).isEqualTo("POST " + NUMBER + "/thread_control (pass)");
        assertThat(lastTitle("helpdesk")).isEqualTo("to the helpdesk on messaging_handovers: control_passed");
        assertThat(page.whatsAppOwnerOf(waId)).isEqualTo(HELPDESK);

        var c = page.snapshot().path("whatsapp").get(0);
        assertThat(c.path("name").asText()).as("WhatsApp users' names are not Messenger's").isEqualTo("Wes");
        assertThat(c.path("role").asText()).isEqualTo("helpdesk");
        assertThat(c.path("windowClosesAt").asLong()).isEqualTo(c.path("messages").get(0).path("at").asLong()
                + Duration.ofHours(24).toMillis());
        assertThat(c.path("windowOpen").asBoolean()).isTrue();

        var done = page.helpdeskDone(waId, dev.messengerhandover.dev.platform.WhatsAppPlatform.Done.PASS_BACK);
        assertThat(done.deliveries()).singleElement().satisfies(d -> assertThat(d.body().path("entry").get(0)
                .path("changes").get(0).path("value").path("type").asText()).isEqualTo("control_passed"));
        page.advance(Duration.ofHours(24));
        c = page.snapshot().path("whatsapp").get(0);
        assertThat(c.path("role").asText()).as("idle after 24 h without a message from the user").isEqualTo("idle");
        assertThat(c.path("windowOpen").asBoolean()).isFalse();
        assertThat(page.whatsAppUserSends("16500000000", "hi").status()).isEqualTo(404);
    }

    /** The user asks for a person, and the bot's notice passes the thread to the Inbox; Graph's status. */
    private int handOver() {
        page.userSends(user, "agent please", null);
        var handoff = JsonNodeFactory.instance.objectNode();
        handoff.putObject("recipient").put("id", user);
        handoff.putObject("message").put("text", "handing you over");
        handoff.putObject("thread_control").put("control_type", "pass").put("app_id", INBOX);
        return page.graph("POST", "me", "messages", TOKEN, handoff, Map.of()).status();
    }

    private JsonNode conversation() {
        for (var c : page.snapshot().path("conversations")) {
            if (c.path("psid").asText().equals(user)) {
                return c;
            }
        }
        throw new AssertionError("no conversation " + user);
    }

    private String lastTitle(String kind) {
        String last = null;
        for (var t : page.snapshot().path("timeline")) {
            if (t.path("kind").asText().equals(kind)) {
                last = t.path("title").asText();
            }
        }
        return last;
    }

    private java.util.List<String> kinds() {
        var kinds = new ArrayList<String>();
        page.snapshot().path("timeline").forEach(t -> kinds.add(t.path("kind").asText()));
        return kinds;
    }

    private com.fasterxml.jackson.databind.node.ObjectNode send(String text) {
        var body = JsonNodeFactory.instance.objectNode();
        body.putObject("recipient").put("id", user);
        body.putObject("message").put("text", text);
        return body;
    }
}
