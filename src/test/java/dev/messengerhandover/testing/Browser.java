package dev.messengerhandover.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from the system's packages, driven through chromedriver, for the emulator's page. Skipped where
 * Chromium is not installed, unless {@code -Dbrowser.required=true} (CI sets it). Waits are for what the page shows,
 * never for a time.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));

    public final WebDriver driver;
    public final WebDriverWait wait;

    private Browser(WebDriver driver) {
        this.driver = driver;
        // The page re-renders on every change, so an element found a moment ago may be gone: look again.
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** A browser window of this size (CSS pixels). */
    public static Browser open(int width, int height) {
        return open(width, height, false);
    }

    /**
     * A phone's screen, {@code width} CSS pixels wide: Chrome emulates the device (its windows are never narrower than
     * 500 px), so the page lays itself out at that width as on a phone.
     */
    public static Browser phone(int width, int height) {
        return open(width, height, true);
    }

    private static Browser open(int width, int height, boolean phone) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (Boolean.getBoolean("browser.required")) {
            assertThat(installed).as("Chromium and chromedriver at %s and %s", CHROMIUM, CHROMEDRIVER).isTrue();
        }
        Assumptions.assumeTrue(installed,
                "Chromium or chromedriver not installed: apt-get install chromium chromium-driver");
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new", "--no-sandbox",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=" + width + "," + height);
        if (phone) {
            options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics", java.util.Map.of(
                    "width", width, "height", height, "pixelRatio", 1.0, "mobile", true, "touch", true)));
        }
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new Browser(new ChromeDriver(service, options));
    }

    public void go(String url) {
        driver.get(url);
    }

    /** Clicks what {@code by} finds once it is shown and enabled. */
    public void click(By by) {
        wait.until(d -> {
            var element = d.findElement(by);
            if (!element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            element.click(); // inside the wait: a re-render between finding and clicking means find again
            return true;
        });
    }

    public void click(String css) {
        click(By.cssSelector(css));
    }

    /** The button whose text is {@code text}, inside {@code css}. */
    public void clickButton(String css, String text) {
        click(By.xpath(xpathOf(css) + "//button[normalize-space()='" + text + "']"));
    }

    /** Types into a field and presses Enter. */
    public void type(String css, String text) {
        wait.until(d -> {
            var field = d.findElement(By.cssSelector(css));
            if (!field.isEnabled()) {
                return false;
            }
            field.sendKeys(text, Keys.ENTER);
            return true;
        });
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Sets a field's or select's value as a user would end up with it. */
    public void set(String css, String value) {
        js("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
                + " e.dispatchEvent(new Event('change', { bubbles: true }));", css, value);
    }

    public List<String> texts(String css) {
        return wait.until(d -> d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    public String text(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** Waits until an element that {@code css} finds shows {@code text}. */
    public void waitFor(String css, String text) {
        until(() -> "\"" + text + "\" in " + css + "; it shows " + texts(css), textIn(css, text));
    }

    /** Waits until {@code condition} holds; when it never does, the failure says {@code what} was awaited. */
    public <T> T until(java.util.function.Supplier<String> what, java.util.function.Function<WebDriver, T> condition) {
        var patient = new WebDriverWait(driver, Duration.ofSeconds(20));
        patient.ignoring(StaleElementReferenceException.class);
        return patient.withMessage(what).until(condition::apply);
    }

    public static ExpectedCondition<Boolean> textIn(String css, String text) {
        return d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().contains(text));
    }

    public byte[] screenshot() {
        return ((ChromeDriver) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    }

    private static String xpathOf(String css) {
        if (css.startsWith("#")) {
            return "//*[@id='" + css.substring(1) + "']";
        }
        throw new IllegalArgumentException("an id, as #name: " + css);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
