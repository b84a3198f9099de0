package dev.messengerhandover.dev.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.messengerhandover.testing.Browser;
import dev.messengerhandover.testing.DevMode;
import dev.messengerhandover.testing.EmulatedPlatform;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's tour, step by step, as a newcomer takes it: {@code quarkus:dev}'s own settings on a machine without AWS
 * configuration ({@link DevMode}), the emulator's page in headless Chromium. Each step checks what the README promises
 * the user sees, and every phrase the tour sets in bold or italics must have been on the page at some step. The clock
 * starts on a Monday morning in Paris, whatever the time here: the tour holds at any hour, on any day.
 *
 * <p>At step 6 the page is photographed for {@code target/emulator-tour.png}, and its labels are held to
 * {@code docs/emulator-labels.txt}, the labels of the README's picture: when the page's labels change, the picture is
 * out of date and this test fails until it is taken again ({@code -Dreadme.picture=refresh}).
 */
@QuarkusTest
@TestProfile(DevMode.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmulatorTourTest {

    static final Path README = Path.of("README.md");
    static final Path PICTURE = Path.of("docs", "emulator.png");
    static final Path LABELS = Path.of("docs", "emulator-labels.txt");

    Browser browser;
    /** What the page showed after each step: the README's phrases must each be in one of them. */
    final List<String> seen = new ArrayList<>();

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void theReadmesTourHappensAsItSays() throws IOException {
        browser = Browser.open(1440, 900);
        browser.go(EmulatedPlatform.url() + "/emulator");

        // The clock starts on a Monday at 09:30, Paris time; the page opens on Alex, a Shop user.
        browser.waitFor("#clock-zone", "Europe/Paris");
        assertThat(browser.text("#clock")).startsWith("Mon ").containsPattern(" 09:3\\d$");
        browser.waitFor("#user-select option:checked", "Alex · Shop · Messenger");

        // 1. Messenger user: type hi. The bot answers, with a "Talk to a person" quick reply.
        seen();
        browser.type("#user-input", "hi");
        browser.waitFor("#chat-log li[data-from=bot]", "I'm the Page's assistant");
        browser.waitFor("#quick-replies button", "Talk to a person");
        seen();

        // 2. Tap Talk to a person. The Shop is open: the bot says it is handing you over; that one message passes.
        browser.clickButton("#quick-replies", "Talk to a person");
        browser.waitFor("#chat-log li[data-from=bot]", "handing you over");
        seen();

        // 3. Page Inbox: from Done to Inbox with a notification; the queue has Alex waiting. The whole history.
        browser.waitFor("#notification", "New conversation needs a person: Alex");
        browser.waitFor("#folder-inbox[aria-selected=true]", "Inbox");
        browser.waitFor("#conversation-list li", "Alex");
        browser.waitFor("#queue-waiting li", "Alex · waiting");
        assertThat(browser.text("#inbox-title")).isEqualTo("Page Inbox");
        seen();
        browser.click("#conversation-list li[data-psid]");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        browser.waitFor("#inbox-log li[data-from=user]", "hi");
        assertThat(browser.texts("#inbox-log li[data-from=bot]")).anyMatch(t -> t.contains("assistant"))
                .anyMatch(t -> t.contains("handing you over"));
        seen();

        // 4. Reply as the agent: Alex sees it, the queue has Alex with an agent; Alex's words reach the bot on
        // standby, and the bot stays silent.
        browser.type("#agent-input", "Hi Alex, Jo from the team here.");
        browser.waitFor("#chat-log li[data-from=agent]", "Jo from the team");
        browser.waitFor("#queue-with-agent li", "Alex · held");
        seen();
        int botLines = browser.texts("#chat-log li[data-from=bot]").size();
        browser.type("#user-input", "thanks, it's about my order");
        browser.waitFor("#timeline li[data-kind=webhook]", "to the bot on standby");
        browser.waitFor("#inbox-log li[data-from=user]", "about my order");
        assertThat(browser.texts("#chat-log li[data-from=bot]")).hasSize(botLines);

        // 5. Done (pass back): the conversation is in Done again, the pane follows it, and the Shop's bot asks.
        browser.click("#done-pass");
        browser.waitFor("#chat-log li[data-from=bot]", "Did we solve your problem?");
        browser.waitFor("#folder-done[aria-selected=true]", "Done");
        browser.waitFor("#conversation-list li[aria-selected=true]", "Alex");
        browser.waitFor("#owner-badge", "Bot has control");
        seen();

        // 6. New user: Sam, on the Shop; ask for a person; +10 min: the team's alert, the queue says so.
        browser.click("#new-user");
        browser.waitFor("#user-select option:checked", "Sam · Shop · Messenger");
        browser.type("#user-input", "can I speak to a human?");
        browser.waitFor("#chat-log li[data-from=bot]", "handing you over");
        browser.waitFor("#queue-waiting li", "Sam · waiting");
        clock("+10 min", "the team alerted about 1");
        browser.waitFor("#timeline li[data-kind=alert]", "Nobody answered for 10 min: Shop");
        browser.waitFor("#queue-waiting li", "team alerted");
        assertThat(browser.js("return getComputedStyle(document.querySelector("
                + "'#timeline li[data-kind=alert] .kind')).color")).isEqualTo("rgb(183, 28, 28)");
        browser.waitFor("#notification", "Sam");
        seen();
        browser.clickButton("#notification", "Sam (Shop · Messenger)");
        browser.waitFor("#thread-head", "Sam");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        seen();
        picture();

        // 7. +1 h: nobody answered within the Shop's hour; the bot takes the conversation back and tells Sam.
        clock("+1 h", "gave up on 1");
        browser.waitFor("#chat-log li[data-from=bot]", "Sorry, nobody from our team could answer this time");
        browser.waitFor("#owner-badge", "Bot has control");
        seen();

        // 8. To any day, 20:00, Europe/Paris: Monday evening, closed. Asked again: the notice says when.
        browser.set("#day-select", "");
        browser.set("#time-of-day", "20:00");
        browser.set("#zone-select", "Europe/Paris");
        seen();
        clock("Set time", "nothing due");
        browser.waitFor("#clock", "Mon ");
        browser.waitFor("#clock", " 20:00");
        seen();
        browser.type("#user-input", "talk to a person please");
        browser.waitFor("#chat-log li[data-from=bot]", "A person will reply from tomorrow 09:00");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        assertThat(EmulatedPlatform.conversation(selectedUser()).path("folder").asText()).isEqualTo("inbox");
        seen();

        // 9. Tue, 09:00, Set time: nothing due; +10 min: ten open minutes later, the team is alerted.
        browser.set("#day-select", "Tue");
        browser.set("#time-of-day", "09:00");
        seen();
        clock("Set time", "nothing due");
        browser.waitFor("#clock", "Tue ");
        browser.waitFor("#clock", " 09:00");
        int alerts = browser.texts("#timeline li[data-kind=alert]").size();
        clock("+10 min", "the team alerted about 1");
        browser.wait.until(d -> browser.texts("#timeline li[data-kind=alert]").size() == alerts + 1);
        seen();

        // Step 5's other ways: Done (release), whose next message the bot answers; a Café user welcomed back.
        handedOver("Shop · Messenger", "Noor");
        browser.clickButton("#notification", "Noor (Shop · Messenger)");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        browser.click("#done-release");
        browser.waitFor("#owner-badge", "Idle: no app has control");
        browser.waitFor("#status-hint", "the bot answers the next message");
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("done-pass")).isEnabled())
                .as("Done on a thread the Inbox no longer holds").isFalse();
        seen();
        browser.type("#user-input", "what are your opening hours?");
        browser.waitFor("#chat-log li[data-from=bot]", "We're open Monday to Saturday, 9:00 to 18:00.");
        assertThat(browser.texts("#chat-log li[data-from=bot]")).noneMatch(t -> t.contains("Did we solve"))
                .noneMatch(t -> t.contains("Thanks for your patience"));

        // The notification names a Café user while the Inbox pane shows the Shop's: clicking it opens it there.
        handedOver("Café · Messenger", "Lena");
        browser.clickButton("#notification", "Lena (Café · Messenger)");
        browser.waitFor("#inbox-select option:checked", "Café");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        browser.click("#done-pass");
        browser.waitFor("#chat-log li[data-from=bot]", "Thanks for your patience");
        seen();

        // Every phrase the tour sets in bold or italics was on the page.
        var page = String.join("\n", seen).toLowerCase(Locale.ROOT);
        assertThat(tourPhrases()).isNotEmpty()
                .allSatisfy(p -> assertThat(page).as("the README's \"%s\"", p).contains(p.toLowerCase(Locale.ROOT)));
    }

    /** The README says it works at phone width: at 390 px wide, nothing scrolls sideways and every control shows. */
    @Test
    @Order(2)
    void atPhoneWidthNothingScrollsSideways() {
        browser = Browser.phone(390, 844);
        browser.go(EmulatedPlatform.url() + "/emulator");
        assertThat((Long) browser.js("return window.innerWidth")).isEqualTo(390L);
        var psid = handedOver("Café · Messenger", null);
        browser.click("#conversation-list li[data-psid='" + psid + "']");
        browser.waitFor("#owner-badge", "Page Inbox has control");
        browser.js("document.querySelectorAll('#timeline details').forEach((d) => { d.open = true; });");

        fitsAPhone(List.of("mode-select", "day-select", "time-of-day", "zone-select", "set-time", "view-messenger",
                "view-whatsapp", "user-select", "new-user", "account-select", "bot-kind", "bot-behaviour",
                "user-input", "user-send", "inbox-select", "folder-done", "agent-input", "done-pass", "done-release",
                "move-to-inbox"));

        // The WhatsApp tab: the user's phone with the bot's reply button, the helpdesk with a conversation open.
        browser.click("#view-whatsapp");
        browser.waitFor("#wa-user-select option", "(+");
        browser.type("#wa-user-input", "hi");
        browser.waitFor("#wa-chat-log li[data-from=bot]", "assistant");
        browser.click("#helpdesk-all");
        browser.click("#helpdesk-list li[data-waid]");
        browser.waitFor("#helpdesk-badge", "has control");
        browser.js("document.querySelectorAll('#timeline details').forEach((d) => { d.open = true; });");
        fitsAPhone(List.of("view-whatsapp", "wa-user-select", "wa-new-user", "wa-bot-kind", "wa-bot-behaviour",
                "wa-user-input", "wa-user-send", "helpdesk-mine", "helpdesk-all", "helpdesk-input", "helpdesk-send",
                "helpdesk-done-pass", "helpdesk-done-release"));
    }

    /** Nothing scrolls sideways, and each control is on the screen, whole. */
    private void fitsAPhone(List<String> ids) {
        assertThat((Long) browser.js("return document.documentElement.scrollWidth"))
                .as("the page's width at 390 px").isLessThanOrEqualTo(390L);
        for (var id : ids) {
            var box = (List<?>) browser.js("const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                    + " return [r.left, r.right, r.width];", id);
            assertThat(((Number) box.get(0)).doubleValue()).as("%s's left edge", id).isGreaterThanOrEqualTo(0);
            assertThat(((Number) box.get(1)).doubleValue()).as("%s's right edge", id).isLessThanOrEqualTo(390);
            assertThat(((Number) box.get(2)).doubleValue()).as("%s's width", id).isGreaterThan(0);
        }
    }

    /** A new user of {@code account} ({@code name}: the one the page gives, when null) asks for a person. */
    private String handedOver(String account, String name) {
        var before = browser.texts("#user-select option").size();
        browser.js("const s = document.getElementById('account-select');"
                + " s.value = [...s.options].find((o) => o.text === arguments[0]).value;"
                + " s.dispatchEvent(new Event('change', { bubbles: true }));", account);
        browser.click("#new-user");
        browser.wait.until(d -> browser.texts("#user-select option").size() == before + 1);
        if (name != null) {
            browser.waitFor("#user-select option:checked", name + " · " + account);
        }
        var psid = selectedUser();
        browser.type("#user-input", "I want to talk to a person");
        browser.waitFor("#chat-log li[data-from=bot]", "handing you over");
        browser.wait.until(d -> "inbox".equals(EmulatedPlatform.conversation(psid).path("role").asText()));
        return psid;
    }

    private String selectedUser() {
        return (String) browser.js("return document.getElementById('user-select').value");
    }

    /**
     * Clicks {@code button} of the clock: the timeline shows one more sweep, which says {@code what} (every move of the
     * clock runs the sweep, and says so).
     */
    private void clock(String button, String what) {
        int sweeps = browser.texts("#timeline li[data-kind=sweep]").size();
        browser.clickButton("#clock-controls", button);
        browser.until(() -> "a sweep saying \"" + what + "\"; the timeline's: "
                + browser.texts("#timeline li[data-kind=sweep]"), d -> {
                    var all = browser.texts("#timeline li[data-kind=sweep]");
                    return all.size() > sweeps && all.get(0).contains(what);
                });
    }

    /** What the page shows now, its fields' values and chosen options included. */
    private void seen() {
        seen.add((String) browser.js("return document.body.innerText + '\\n' + [...document.querySelectorAll("
                + "'select, input')].map((e) => e.tagName === 'SELECT' ? (e.selectedOptions[0] || {}).text"
                + " : e.value).join('\\n')"));
    }

    /** The phrases in bold and italics of the README's tour, from its first step to "Also try". */
    static List<String> tourPhrases() throws IOException {
        var readme = Files.readString(README);
        int from = readme.indexOf("1. **Messenger user**");
        int to = readme.indexOf("### Also try", from);
        assertThat(from).as("the tour's first step in README.md").isPositive();
        assertThat(to).as("\"### Also try\" after the tour in README.md").isPositive();
        var tour = readme.substring(from, to).replaceAll("`[^`]*`", "").replaceAll("\\s+", " ");
        var phrases = new LinkedHashSet<String>();
        var marked = Pattern.compile("\\*\\*([^*]+)\\*\\*|\\*([^*]+)\\*").matcher(tour);
        while (marked.find()) {
            phrases.add((marked.group(1) != null ? marked.group(1) : marked.group(2)).strip());
        }
        return List.copyOf(phrases);
    }

    /**
     * The page as the README pictures it: written to target/, and to docs/ with its labels when asked; otherwise the
     * labels must be those recorded with the picture, and the picture the one they were recorded with.
     */
    private void picture() throws IOException {
        var shot = browser.screenshot();
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "emulator-tour.png"), shot);
        var labels = labels();
        if ("refresh".equals(System.getProperty("readme.picture"))) {
            Files.write(PICTURE, shot);
            Files.writeString(LABELS, labelsFile(sha256(shot), labels), StandardCharsets.UTF_8);
            return;
        }
        var refresh = " The README's picture is out of date: take it again with"
                + " ./mvnw test -Dtest=EmulatorTourTest -Dreadme.picture=refresh (which rewrites "
                + LABELS + " too), look at it, and commit both.";
        assertThat(LABELS).as("%s, the labels of %s.%s", LABELS, PICTURE, refresh).exists();
        var recorded = Files.readAllLines(LABELS, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(recorded.get(0)).as("%s's checksum in %s: they are taken together.%s", PICTURE, LABELS, refresh)
                .isEqualTo("sha256 " + sha256(Files.readAllBytes(PICTURE)));
        assertThat(String.join("\n", labels)).as("the page's labels against those of %s.%s", PICTURE, refresh)
                .isEqualTo(String.join("\n", recorded.subList(1, recorded.size())));
    }

    /** The page's headings, buttons, field labels and accessible names, as a reader of the picture sees them. */
    @SuppressWarnings("unchecked")
    private List<String> labels() {
        return (List<String>) browser.js("""
                const dynamic = '#quick-replies, #notification, #chat-log, #inbox-log, #timeline, #conversation-list';
                const norm = (t) => t.replace(/\\d+/g, '#').replace(/\\s+/g, ' ').trim();
                const out = new Set();
                document.querySelectorAll('h1, h2, h3, button, label, [aria-label]').forEach((e) => {
                  if (e.closest(dynamic) || e.closest('[hidden]')) return;
                  const own = e.tagName === 'LABEL'
                    ? [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(' ')
                    : e.tagName === 'H1' || e.tagName === 'H2' || e.tagName === 'H3' || e.tagName === 'BUTTON'
                      ? e.textContent : '';
                  if (norm(own)) out.add(e.tagName.toLowerCase() + ' ' + norm(own));
                  if (e.getAttribute('aria-label')) out.add('name ' + norm(e.getAttribute('aria-label')));
                });
                return [...out].sort();
                """);
    }

    static String labelsFile(String sha256, List<String> labels) {
        return "# The labels of the emulator's page when docs/emulator.png was taken (README, \"Try it in one minute\"):\n"
                + "# EmulatorTourTest fails when the page's labels differ, until the picture is taken again with\n"
                + "#   ./mvnw test -Dtest=EmulatorTourTest -Dreadme.picture=refresh\n"
                + "sha256 " + sha256 + "\n" + String.join("\n", labels) + "\n";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
