package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * The dashboard in a real browser: Debian's {@code chromium} driven headless by its {@code
 * chromium-driver} through Selenium, against a node on the ARI simulator with a test application.
 * A call appears as {@code ringing} while its TwiML is being fetched, becomes {@code in-progress}
 * in {@code Enqueue}, the queue grows to two and shrinks to none as the callers hang up, the calls
 * leave the table for "recently ended", an application error shows its Twilio code, and the
 * Asterisk link goes down and up when the simulator drops its socket. Screenshots go to {@code
 * target/screenshots/} ({@code -Ddashboard.screenshots=../docs/images} refreshes the docs' copies).
 * Skipped when chromium is not installed.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  private static final Path DRIVER =
      Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static E2eHarness h;
  private static WebDriver browser;
  private static final CountDownLatch releaseFirstCall = new CountDownLatch(1);

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "DashboardBrowserTest skipped: no " + CHROMIUM + " or " + DRIVER
            + " (apt-get install chromium chromium-driver)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--window-size=1400,1200", "--no-first-run",
        "--disable-background-networking", "--disable-component-update");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    // The browser starts while the node does: on a loaded machine each takes seconds.
    CompletableFuture<WebDriver> starting =
        CompletableFuture.supplyAsync(() -> new ChromeDriver(service, options));
    try {
      h = new E2eHarness(List.of(),
          Map.of("switchboard.dashboard.loopback-without-credentials", "true"));
    } finally {
      browser = starting.join();
    }
    String enqueue = "<Say>Welcome.</Say><Enqueue waitUrl=\"/wait\">support</Enqueue>";
    h.app.on("/voice", r -> {
      if ("+15550000666".equals(r.param("To"))) {
        return Response.twiml("<Transmogrify/>");
      }
      if ("+15550000001".equals(r.param("To"))) {
        await(releaseFirstCall);
      }
      return Response.twiml(enqueue);
    });
    h.app.on("/wait", r -> Response.twiml("<Pause length=\"30\"/>"));
  }

  @AfterAll
  static void stop() {
    releaseFirstCall.countDown();
    if (browser != null) {
      browser.quit();
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  void showsCallsQueuesErrorsAndTheLinkLive() throws IOException {
    browser.get("http://127.0.0.1:" + h.node.httpAddress().getPort() + "/dashboard");
    until("the link to sim is connected", () -> text("tr[data-server='sim'] td.state").equals("connected"));

    String first = h.call("+15557770001", "+15550000001");
    until("the first call is ringing while its TwiML is fetched", () ->
        text(callRow("+15557770001") + " td.status").equals("ringing")
            && text(callRow("+15557770001") + " td.verb").equals("fetching TwiML"));
    String firstSid = browser.findElement(By.cssSelector(callRow("+15557770001")))
        .getAttribute("data-call-sid");
    assertTrue(firstSid.startsWith("CA"), firstSid);
    releaseFirstCall.countDown();
    until("the first call is in progress in Enqueue", () ->
        text(callRow("+15557770001") + " td.status").equals("in-progress")
            && text(callRow("+15557770001") + " td.verb").equals("Enqueue"));
    until("the queue holds one caller", () -> text("tr[data-queue='support'] td.size").equals("1"));

    String second = h.call("+15557770002", "+15550000002");
    until("the queue holds two callers", () -> text("tr[data-queue='support'] td.size").equals("2")
        && text("#calls-total").equals("2"));

    h.call("+15557770003", "+15550000666");
    until("the application error shows Twilio code 12200",
        () -> browser.findElements(By.cssSelector("#errors td.code")).stream()
            .anyMatch(code -> code.getText().equals("12200")));
    until("the failed call ended", () -> !present(callRow("+15557770003"))
        && text("#calls-total").equals("2"));
    screenshot("dashboard.png");

    h.callerHangsUp(first);
    until("the queue shrinks to one and the first call has ended", () ->
        text("tr[data-queue='support'] td.size").equals("1") && !present(callRow("+15557770001"))
            && present("tr[data-ended-sid='" + firstSid + "']"));
    assertEquals("completed", text("tr[data-ended-sid='" + firstSid + "'] td.status"));

    h.callerHangsUp(second);
    until("the queue is empty and no call is in progress", () ->
        text("tr[data-queue='support'] td.size").equals("0") && text("#calls-total").equals("0"));
    assertTrue(browser.findElement(By.id("calls-empty")).isDisplayed(),
        "the 'no call in progress' line shows");

    h.sim.dropSockets(Duration.ofSeconds(3));
    until("the link is down", () -> text("tr[data-server='sim'] td.state").equals("disconnected"));
    screenshot("dashboard-link-down.png");
    until("the link is up again", () -> text("tr[data-server='sim'] td.state").equals("connected")
        && !text("tr[data-server='sim'] td:nth-child(6)").equals("1"));
  }

  private static String callRow(String from) {
    return "#calls tr[data-from='" + from + "']";
  }

  private static boolean present(String css) {
    return !browser.findElements(By.cssSelector(css)).isEmpty();
  }

  /** The text of the first element matching {@code css}, or "" when there is none yet. */
  private static String text(String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText().trim();
  }

  private static void until(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, WAIT).withMessage(what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(driver -> condition.getAsBoolean());
  }

  private static void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path dir = Path.of(System.getProperty("dashboard.screenshots", "target/screenshots"));
    Files.createDirectories(dir);
    Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the first call");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
