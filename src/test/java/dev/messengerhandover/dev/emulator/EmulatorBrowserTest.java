package dev.messengerhandover.dev.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.Browser;
import dev.messengerhandover.testing.EmulatedPlatform;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The seed's flow in a real browser (headless Chromium from the system's packages): a user asks for a person, the
 * conversation lands in the Page Inbox with a notification, the agent answers and clicks Done, by passing back (the
 * bot welcomes the user back) or by releasing (the bot answers the next message), and the Inbox pane follows the
 * conversation to Done; two quick clicks on Done close one conversation only. Skipped where Chromium is not installed,
 * unless {@code -Dbrowser.required=true} (CI sets it). {@code EmulatorTourTest} follows the README's tour.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(EmulatedPlatform.class)
class EmulatorBrowserTest {

    Browser browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.open(1440, 900);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        EmulatedPlatform.catalogueBots();
    }

    @Test
    void userToBotToInboxToDoneAndBack() throws IOException {
        var psid = newUserInTheBrowser();
        String name = browser.text("#user-select option:checked").split(" ")[0];
        assertThat(browser.js("return document.getElementById('mode-select').value")).isEqualTo("routing");

        // The user greets the Page; the bot answers with a "Talk to a person" quick reply.
        browser.type("#user-input", "hi");
        browser.waitFor("#chat-log li[data-from=bot]", "assistant");

        // Tapping it hands the conversation to the Page Inbox: it appears in Inbox, with a notification.
        browser.clickButton("#quick-replies", "Talk to a person");
        browser.waitFor("#chat-log li[data-from=bot]", "handing you over");
        browser.waitFor("#notification", "New conversation needs a person: " + name);
        browser.waitFor("#folder-inbox[aria-selected=true]", "Inbox");
        browser.click("#conversation-list li[data-psid='" + psid + "']");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        browser.waitFor("#status-hint", "the bot stays silent");
        // Open, it is read: no banner for the conversation the agent is looking at.
        browser.wait.until(d -> !browser.text("#notification").contains(name));
        // The agent sees the whole history, including what the user said to the bot.
        browser.waitFor("#inbox-log li[data-from=user]", "hi");
        assertThat(browser.texts("#inbox-log li[data-from=bot]")).anyMatch(t -> t.contains("assistant"));

        // The agent answers; the user sees it.
        browser.type("#agent-input", "Hi " + name + ", Jo from the team here. How can I help?");
        browser.waitFor("#chat-log li[data-from=agent]", "Jo from the team");

        // Done, passing back: the bot welcomes the user back; the Inbox pane follows the conversation to Done, and its
        // status says who has it now, nothing else.
        browser.click("#done-pass");
        browser.waitFor("#chat-log li[data-from=bot]", "Thanks for your patience");
        browser.waitFor("#folder-done[aria-selected=true]", "Done");
        browser.waitFor("#follow-note", "followed it to Done");
        browser.waitFor("#owner-badge", "Bot has control");
        assertThat(browser.text("#thread-head")).doesNotContain("idle").doesNotContain("Inbox has");
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("done-pass")).isEnabled()).isFalse();
        assertThat(browser.js("return document.querySelector('#conversation-list li[aria-selected=true]')"
                + ".dataset.psid")).as("the conversation the agent had open").isEqualTo(psid);
        assertThat(browser.texts("#timeline li[data-kind=webhook]")).isNotEmpty();

        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "emulator-flow.png"), browser.screenshot());
    }

    @Test
    void doneAsAReleaseTheBotAnswersTheNextMessageWithoutWelcomeBack() {
        var psid = handedOverInTheBrowser();
        browser.click("#conversation-list li[data-psid='" + psid + "']");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        browser.click("#done-release");
        browser.waitFor("#owner-badge", "Idle: no app has control");
        browser.waitFor("#status-hint", "the bot answers the next message");
        browser.waitFor("#follow-note", "followed it to Done");
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("done-release")).isEnabled())
                .as("Done on an idle thread").isFalse();

        browser.type("#user-input", "and your opening hours?");
        browser.waitFor("#chat-log li[data-from=bot]", "We're open");
        assertThat(browser.texts("#chat-log li[data-from=bot]")).noneMatch(t -> t.contains("Thanks for your patience"));
        // The status line follows the platform: the bot answered, so it has the thread now.
        browser.waitFor("#owner-badge", "Bot has control");
        assertThat(browser.text("#thread-head")).doesNotContain("Idle");
    }

    /** Two clicks on Done 200 ms apart close the conversation the agent was looking at, and nothing else. */
    @Test
    void aSecondClickOnDoneNeverClosesTheNextConversation() {
        var waiting = handedOverInTheBrowser();
        var looked = handedOverInTheBrowser();
        browser.click("#folder-inbox");
        browser.click("#conversation-list li[data-psid='" + looked + "']");
        browser.waitFor("#owner-badge", "Page Inbox has control");

        browser.js("const b = document.getElementById('done-pass'); b.click(); setTimeout(() => b.click(), 200);");
        browser.wait.until(d -> EmulatorFlowTest.texts(EmulatedPlatform.conversation(looked), "bot").stream()
                .anyMatch(t -> t.contains("Thanks for your patience")));
        sleep(1500); // anything the second click could have started has happened by now

        var waitingNow = EmulatedPlatform.conversation(waiting);
        assertThat(waitingNow.path("folder").asText()).as("the other user is still waiting").isEqualTo("inbox");
        assertThat(waitingNow.path("role").asText()).isEqualTo("inbox");
        assertThat(EmulatorFlowTest.texts(waitingNow, "bot")).noneMatch(t -> t.contains("Thanks for your patience"));
        assertThat(EmulatorFlowTest.texts(EmulatedPlatform.conversation(looked), "bot"))
                .filteredOn(t -> t.contains("Thanks for your patience")).hasSize(1);
    }

    /**
     * The clock control: ten minutes on, the sweep alerts the team (on the timeline) and the queue shows the wait;
     * "Set time" moves the platform's clock on to a time of day in the chosen zone, on the chosen day; the clock says
     * which zone its time is in.
     */
    @Test
    void theClockControlShowsTheTeamsAlertAndTheWaitInTheQueue() {
        var psid = handedOverInTheBrowser();
        browser.waitFor("#queue-waiting li[data-psid='" + psid + "']", "waiting");
        browser.clickButton("#clock-controls", "+10 min");
        browser.waitFor("#timeline li[data-kind=alert]", "Nobody answered for 10 min");
        browser.waitFor("#timeline li[data-kind=sweep]", "the team alerted about 1");
        browser.waitFor("#queue-waiting li[data-psid='" + psid + "']", "team alerted");
        assertThat(browser.text("#queue-waiting li[data-psid='" + psid + "']")).contains("waiting 10 min");

        browser.set("#zone-select", "Europe/Paris");
        browser.set("#day-select", "Sun");
        browser.set("#time-of-day", "07:30");
        browser.clickButton("#clock-controls", "Set time");
        browser.waitFor("#timeline li[data-kind=clock]", "to Sun 07:30 Europe/Paris");
        browser.waitFor("#clock", "Sun ");
        assertThat(browser.text("#clock-zone")).isEqualTo("Europe/Paris");
        var now = java.time.Instant.ofEpochMilli(EmulatedPlatform.state().path("now").asLong())
                .atZone(java.time.ZoneId.of("Europe/Paris"));
        assertThat(now.getDayOfWeek()).isEqualTo(java.time.DayOfWeek.SUNDAY);
        assertThat(now.toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
                .isEqualTo(java.time.LocalTime.of(7, 30));
        assertThat(browser.text("#clock")).endsWith("07:30");

        // The clock shows the time of the zone it names.
        browser.set("#zone-select", "UTC");
        browser.waitFor("#clock-zone", "UTC");
        assertThat(browser.text("#clock")).endsWith(now.withZoneSameInstant(java.time.ZoneOffset.UTC)
                .toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString());
    }

    /** The function's queue call fails: the pane says so, and shows no queue at all, let alone an empty one. */
    @Test
    void aQueueCallThatFailsIsAnErrorNeverAnEmptyQueue() {
        newUserInTheBrowser();
        browser.waitFor("#queue", "Waiting for an agent");
        Platform.storage().down(); // the function's DynamoDB goes away: the operator API answers 500
        try {
            browser.click("#new-user"); // the emulator's own action; the page reads the queue again after it
            browser.waitFor("#queue-error", "Queue unavailable: the function answered 500");
            assertThat(browser.text("#queue")).doesNotContain("(0)").doesNotContain("Waiting for an agent");
        } finally {
            Platform.storage().up();
        }
        browser.click("#new-user");
        browser.waitFor("#queue", "Waiting for an agent");
    }

    /**
     * The Shop's bot switched to a team's HTTP bot on the page: the next message is its answer, and its call is on the
     * timeline. Made to fail, the user gets the catalogue's fallback with the offer of a person, and the timeline has
     * the failed call, in red.
     */
    @Test
    void aBotSwitchedToHttpThatFailsShowsTheFallbackAndTheFailedCall() {
        newUserInTheBrowser();
        browser.waitFor("#bot-of", "Shop's bot");
        assertThat(browser.js("return document.getElementById('bot-kind').value")).isEqualTo("catalogue");
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("bot-behaviour")).isEnabled())
                .as("a catalogue has no call to slow down or fail").isFalse();

        botSwitch("#bot-kind", "http");
        browser.waitFor("#timeline li[data-kind=platform]", "Shop's bot: HTTP bot, in the Pages secret");
        browser.type("#user-input", "hi");
        browser.waitFor("#chat-log li[data-from=bot]", "You wrote: hi");
        browser.waitFor("#timeline li[data-kind=bot]", "http bot of Shop: answered \"You wrote: hi\"");

        botSwitch("#bot-behaviour", "fails");
        browser.waitFor("#timeline li[data-kind=platform]", "Shop's bot: fails (5xx), from its next call");
        browser.type("#user-input", "and my parcel?");
        browser.waitFor("#chat-log li[data-from=bot]", "Sorry, I didn't get that");
        browser.waitFor("#quick-replies button", "Talk to a person");
        browser.waitFor("#timeline li[data-kind=bot].failed", "http bot of Shop: failed, 503");
        assertThat(browser.js("return getComputedStyle(document.querySelector("
                + "'#timeline li[data-kind=bot].failed .title')).color")).isEqualTo("rgb(198, 40, 40)");
    }

    /**
     * WhatsApp, on its own tab: the bot answers with a reply button, the tap passes the conversation to the helpdesk,
     * where the agent answers and clicks Done (pass back); the bot answers again.
     */
    @Test
    void aWhatsAppConversationGoesToTheHelpdeskAndBackToTheBot() throws IOException {
        browser.go(EmulatedPlatform.url() + "/emulator");
        browser.click("#view-whatsapp");
        browser.waitFor("#wa-user-title", "WhatsApp user");
        var before = browser.wait.until(d -> {
            var values = (java.util.List<?>) browser.js("return [...document.querySelectorAll('#wa-user-select"
                    + " option')].map((o) => o.value)");
            return values.isEmpty() ? null : values;
        });
        browser.click("#wa-new-user");
        var waId = browser.wait.until(d -> {
            var value = (String) browser.js("return document.getElementById('wa-user-select').value");
            return !before.contains(value) && browser.texts("#wa-chat-log li").isEmpty() ? value : null;
        });
        browser.waitFor("#wa-window", "Write to the business");

        browser.type("#wa-user-input", "hi");
        browser.waitFor("#wa-chat-log li[data-from=bot]", "I'm the Page's assistant");
        browser.waitFor("#wa-window", "24 h window open until");
        browser.clickButton("#wa-chat-log", "Talk to a person");
        browser.waitFor("#wa-chat-log li[data-from=bot]", "handing you over");

        // The helpdesk has it: passed to it, the thread control in its history.
        browser.click("#helpdesk-list li[data-waid='" + waId + "']");
        browser.waitFor("#helpdesk-badge", "Helpdesk has control");
        browser.waitFor("#helpdesk-hint", "the bot stays silent");
        browser.waitFor("#helpdesk-log li.system", "The bot passed the conversation to the helpdesk");
        browser.waitFor("#timeline li[data-kind=graph]", "thread_control (pass)");
        browser.waitFor("#timeline li[data-kind=helpdesk]", "messaging_handovers: control_passed");

        browser.type("#helpdesk-input", "Hi, Jo from the helpdesk here.");
        browser.waitFor("#wa-chat-log li[data-from=agent]", "Jo from the helpdesk");

        browser.click("#helpdesk-done-pass");
        browser.waitFor("#wa-chat-log li[data-from=bot]", "Thanks for your patience");
        browser.waitFor("#helpdesk-badge", "Bot has control");
        browser.waitFor("#timeline li[data-kind=webhook]", "to the bot on messaging_handovers: control_passed");
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("helpdesk-done-pass")).isEnabled())
                .as("Done on a conversation the bot holds").isFalse();

        browser.type("#wa-user-input", "what are your opening hours?");
        browser.waitFor("#wa-chat-log li[data-from=bot]", "We're open");
        assertThat(EmulatedPlatform.whatsAppConversation(waId).path("role").asText()).isEqualTo("bot");

        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "emulator-whatsapp.png"), browser.screenshot());
    }

    /** Sets a bot control as a user would, and waits until the function has read its Pages again. */
    private void botSwitch(String css, String value) {
        browser.set(css, value);
        browser.until(() -> css + " back, showing " + value, d -> (Boolean) browser.js("const s ="
                + " document.querySelector(arguments[0]); return !s.disabled && s.value === arguments[1];", css,
                value));
    }


    /** A user of this test's own, whatever other tests left on the emulated Page; returns its id. */
    private String newUserInTheBrowser() {
        browser.go(EmulatedPlatform.url() + "/emulator");
        var before = browser.wait.until(d -> {
            var options = browser.texts("#user-select option");
            return options.isEmpty() ? null
                    : (java.util.List<?>) browser.js("return [...document.querySelectorAll('#user-select option')]"
                            + ".map((o) => o.value)");
        });
        browser.click("#new-user");
        return browser.wait.until(d -> {
            var value = (String) browser.js("return document.getElementById('user-select').value");
            return !before.contains(value) && browser.texts("#chat-log li").isEmpty() ? value : null;
        });
    }

    private String handedOverInTheBrowser() {
        var psid = newUserInTheBrowser();
        browser.type("#user-input", "I want to talk to a person");
        browser.waitFor("#chat-log li[data-from=bot]", "handing you over");
        browser.wait.until(d -> "inbox".equals(EmulatedPlatform.conversation(psid).path("role").asText()));
        return psid;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
