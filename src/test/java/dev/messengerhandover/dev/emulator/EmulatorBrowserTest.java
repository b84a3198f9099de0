package dev.messengerhandover.dev.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.messengerhandover.testing.EmulatedPlatform;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The seed's flow in a real browser (headless Chromium from the system's packages): a user asks for a person, the
 * conversation lands in the Page Inbox with a notification, the agent answers and clicks Done, by passing back (the
 * bot welcomes the user back) or by releasing (the bot answers the next message), and the Inbox pane follows the
 * conversation to Done; two quick clicks on Done close one conversation only. Skipped where Chromium is not installed, unless
 * {@code -Dbrowser.required=true} (CI sets it).
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(EmulatedPlatform.class)
class EmulatorBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));

    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (Boolean.getBoolean("browser.required")) {
            assertThat(installed).as("Chromium and chromedriver at %s and %s", CHROMIUM, CHROMEDRIVER).isTrue();
        }
        Assumptions.assumeTrue(installed, "Chromium or chromedriver not installed: apt-get install chromium chromium-driver");
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new", "--no-sandbox",
                "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,900");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        // The page re-renders on every change, so an element found a moment ago may be gone: look again.
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void userToBotToInboxToDoneAndBack() throws IOException {
        var psid = newUserInTheBrowser();
        String name = wait.until(d -> d.findElement(By.cssSelector("#user-select option:checked")).getText())
                .split(" ")[0];
        String mode = wait.until(d -> d.findElement(By.id("mode-select")).getAttribute("value"));
        assertThat(mode).isEqualTo("routing");

        // The user greets the Page; the bot answers with a "Talk to a person" quick reply.
        browser.findElement(By.id("user-input")).sendKeys("hi", Keys.ENTER);
        wait.until(textIn("#chat-log li[data-from=bot]", "assistant"));

        // Tapping it hands the conversation to the Page Inbox: it appears in Inbox, with a notification.
        click(By.xpath("//div[@id='quick-replies']/button[normalize-space()='Talk to a person']"));
        wait.until(textIn("#chat-log li[data-from=bot]", "handing you over"));
        wait.until(textIn("#notification", name));
        assertThat(browser.findElement(By.id("notification")).getText()).containsPattern("needs? a person");
        wait.until(d -> "true".equals(d.findElement(By.id("folder-inbox")).getAttribute("aria-selected")));
        click(By.cssSelector("#conversation-list li[data-psid='" + psid + "']"));
        wait.until(textIn("#owner-badge", "Page Inbox has control"));
        // Open, it is read: no banner for the conversation the agent is looking at.
        wait.until(d -> !d.findElement(By.id("notification")).getText().contains(name));
        // The agent sees the whole history, including what the user said to the bot.
        wait.until(textIn("#inbox-log li[data-from=user]", "hi"));
        assertThat(texts("#inbox-log li[data-from=bot]")).anyMatch(t -> t.contains("assistant"));

        // The agent answers; the user sees it.
        browser.findElement(By.id("agent-input")).sendKeys("Hi " + name + ", Jo from the team here. How can I help?",
                Keys.ENTER);
        wait.until(textIn("#chat-log li[data-from=agent]", "Jo from the team"));

        // Done, passing back: the bot welcomes the user back; the Inbox pane follows the conversation to Done.
        click(By.id("done-pass"));
        wait.until(textIn("#chat-log li[data-from=bot]", "Thanks for your patience"));
        wait.until(d -> "true".equals(d.findElement(By.id("folder-done")).getAttribute("aria-selected")));
        wait.until(textIn("#follow-note", "moved to Done"));
        wait.until(textIn("#owner-badge", "Bot has control"));
        String open = wait.until(d -> d.findElement(By.cssSelector("#conversation-list li[aria-selected=true]"))
                .getAttribute("data-psid"));
        assertThat(open).as("the conversation the agent had open").isEqualTo(psid);
        assertThat(texts("#timeline li[data-kind=webhook]")).isNotEmpty();

        var shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        var artefact = Path.of("target", "emulator-flow.png");
        Files.copy(shot, artefact, StandardCopyOption.REPLACE_EXISTING);
        var keep = System.getProperty("emulator.screenshot"); // e.g. docs/emulator.png, to refresh the README's
        if (keep != null) {
            Files.copy(shot, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(new File(artefact.toString())).isNotEmpty();
    }

    @Test
    void doneAsAReleaseTheBotAnswersTheNextMessageWithoutWelcomeBack() {
        var psid = handedOverInTheBrowser();
        click(By.cssSelector("#conversation-list li[data-psid='" + psid + "']"));
        wait.until(textIn("#owner-badge", "Page Inbox has control"));
        click(By.id("done-release"));
        wait.until(textIn("#follow-note", "idle"));
        wait.until(textIn("#owner-badge", "Idle"));

        browser.findElement(By.id("user-input")).sendKeys("and your opening hours?", Keys.ENTER);
        wait.until(textIn("#chat-log li[data-from=bot]", "We're open"));
        assertThat(texts("#chat-log li[data-from=bot]")).noneMatch(t -> t.contains("Thanks for your patience"));
    }

    /** Two clicks on Done 200 ms apart close the conversation the agent was looking at, and nothing else. */
    @Test
    void aSecondClickOnDoneNeverClosesTheNextConversation() {
        var waiting = handedOverInTheBrowser();
        var looked = handedOverInTheBrowser();
        click(By.id("folder-inbox"));
        click(By.cssSelector("#conversation-list li[data-psid='" + looked + "']"));
        wait.until(textIn("#owner-badge", "Page Inbox has control"));

        ((JavascriptExecutor) browser).executeScript("const b = document.getElementById('done-pass');"
                + " b.click(); setTimeout(() => b.click(), 200);");
        wait.until(d -> EmulatorFlowTest.texts(EmulatedPlatform.conversation(looked), "bot").stream()
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
     * "Set time" moves the platform's clock on to a time of day in the chosen zone.
     */
    @Test
    void theClockControlShowsTheTeamsAlertAndTheWaitInTheQueue() {
        var psid = handedOverInTheBrowser();
        wait.until(textIn("#queue-waiting li[data-psid='" + psid + "']", "waiting"));
        click(By.cssSelector(".clock button[data-minutes='10']"));
        wait.until(textIn("#timeline li[data-kind=alert]", "Nobody answered for 10 min"));
        wait.until(textIn("#queue-waiting li[data-psid='" + psid + "']", "team alerted"));
        assertThat(browser.findElement(By.cssSelector("#queue-waiting li[data-psid='" + psid + "']")).getText())
                .contains("waiting 10 min");

        var zone = new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("zone-select")));
        zone.selectByValue("Europe/Paris");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('time-of-day').value = '07:30';");
        click(By.id("set-time"));
        wait.until(textIn("#timeline li[data-kind=clock]", "to 07:30 Europe/Paris"));
        var now = EmulatedPlatform.state().path("now").asLong();
        assertThat(java.time.Instant.ofEpochMilli(now).atZone(java.time.ZoneId.of("Europe/Paris")).toLocalTime()
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)).isEqualTo(java.time.LocalTime.of(7, 30));
    }

    /** A user of this test's own, whatever other tests left on the emulated Page; returns its id. */
    private String newUserInTheBrowser() {
        browser.get(EmulatedPlatform.url() + "/emulator");
        wait.until(d -> !d.findElements(By.cssSelector("#user-select option")).isEmpty());
        var before = wait.until(d -> d.findElements(By.cssSelector("#user-select option")).stream()
                .map(o -> o.getAttribute("value")).toList());
        click(By.id("new-user"));
        return wait.until(d -> {
            var value = d.findElement(By.id("user-select")).getAttribute("value");
            return !before.contains(value) && d.findElements(By.cssSelector("#chat-log li")).isEmpty() ? value : null;
        });
    }

    private String handedOverInTheBrowser() {
        var psid = newUserInTheBrowser();
        browser.findElement(By.id("user-input")).sendKeys("I want to talk to a person", Keys.ENTER);
        wait.until(textIn("#chat-log li[data-from=bot]", "handing you over"));
        wait.until(d -> "inbox".equals(EmulatedPlatform.conversation(psid).path("role").asText()));
        return psid;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void click(By by) {
        wait.until(d -> {
            var element = d.findElement(by);
            if (!element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            element.click(); // inside the wait: a re-render between finding and clicking means find again
            return true;
        });
    }

    java.util.List<String> texts(String css) {
        return wait.until(d -> d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    static ExpectedCondition<Boolean> textIn(String css, String text) {
        return d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().contains(text));
    }
}
