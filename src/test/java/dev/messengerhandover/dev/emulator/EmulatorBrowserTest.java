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
 * conversation lands in the Page Inbox with a notification, the agent answers and clicks Done, the bot welcomes the
 * user back and the conversation is in Done again. Skipped where Chromium is not installed, unless
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
        browser.get(EmulatedPlatform.url() + "/emulator");
        wait.until(d -> !d.findElements(By.cssSelector("#user-select option")).isEmpty());
        // Our own user, whatever other tests left on the emulated Page.
        click(By.id("new-user"));
        var previous = browser.findElements(By.cssSelector("#user-select option")).size();
        wait.until(d -> d.findElements(By.cssSelector("#user-select option")).size() >= previous);
        var psid = wait.until(d -> {
            var value = d.findElement(By.id("user-select")).getAttribute("value");
            var label = d.findElement(By.cssSelector("#user-select option:checked")).getText();
            return d.findElements(By.cssSelector("#chat-log li")).isEmpty() && !label.startsWith("Alex") ? value : null;
        });
        var name = browser.findElement(By.cssSelector("#user-select option:checked")).getText().split(" ")[0];

        // The user greets the Page; the bot answers with a "Talk to a person" quick reply.
        browser.findElement(By.id("user-input")).sendKeys("hi", Keys.ENTER);
        wait.until(textIn("#chat-log li[data-from=bot]", "assistant"));

        // Tapping it hands the conversation to the Page Inbox: it appears in Inbox, with a notification.
        click(By.xpath("//div[@id='quick-replies']/button[normalize-space()='Talk to a person']"));
        wait.until(textIn("#chat-log li[data-from=bot]", "handing you over"));
        wait.until(textIn("#notification", name));
        assertThat(browser.findElement(By.id("notification")).getText()).contains("needs a person");
        wait.until(d -> "true".equals(d.findElement(By.id("folder-inbox")).getAttribute("aria-selected")));
        click(By.cssSelector("#conversation-list li[data-psid='" + psid + "']"));
        wait.until(textIn("#owner-badge", "Page Inbox has control"));
        // The agent sees the whole history, including what the user said to the bot.
        wait.until(textIn("#inbox-log li[data-from=user]", "hi"));
        assertThat(texts("#inbox-log li[data-from=bot]")).anyMatch(t -> t.contains("assistant"));

        // The agent answers; the user sees it.
        browser.findElement(By.id("agent-input")).sendKeys("Hi " + name + ", Jo from the team here. How can I help?",
                Keys.ENTER);
        wait.until(textIn("#chat-log li[data-from=agent]", "Jo from the team"));

        // Done: control goes back to the bot, which welcomes the user back; the conversation is in Done.
        click(By.id("done-button"));
        wait.until(textIn("#chat-log li[data-from=bot]", "Thanks for your patience"));
        click(By.id("folder-done"));
        wait.until(d -> !d.findElements(By.cssSelector("#conversation-list li[data-psid='" + psid + "']")).isEmpty());
        click(By.cssSelector("#conversation-list li[data-psid='" + psid + "']"));
        wait.until(textIn("#owner-badge", "Bot has control"));
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
