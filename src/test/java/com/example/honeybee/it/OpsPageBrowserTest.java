package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.patients.PartnerPatient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator page in headless Chromium (Debian's chromium and chromium-driver), an operator in Los Angeles:
 * the first minute (login, Enter, forgetting the token), approving a fill and answering the exception that
 * follows (both reach the embedded sandbox), expired prescriptions, input that survives refreshes, and a
 * phone-sized screen.
 * Skipped where no browser is installed, unless HONEYBEE_REQUIRE_BROWSER=true (CI).
 */
class OpsPageBrowserTest {

    private static final File CHROMIUM = new File(System.getenv().getOrDefault("HONEYBEE_CHROMIUM", "/usr/bin/chromium"));
    private static final File CHROMEDRIVER = new File(System.getenv().getOrDefault("HONEYBEE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final String TOKEN = "browser-test-token";
    private static final String OPERATOR_ZONE = "America/Los_Angeles";

    private RunningBundle bundle;
    private WebDriver browser;

    @BeforeEach
    void start() throws IOException {
        boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if (!present && Boolean.parseBoolean(System.getenv("HONEYBEE_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("HONEYBEE_REQUIRE_BROWSER=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        }
        assumeTrue(present, "no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install chromium chromium-driver): skipping the browser test");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("ops-chromium"));
        options.addArguments("--lang=en-US");
        // the operator's clock: timestamps on the page are in the browser's time zone
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort()
                .withEnvironment(Map.of("TZ", OPERATOR_ZONE, "LANG", "en_US.UTF-8")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (bundle != null) {
            bundle.close();
        }
    }

    /** The bundle of a test: its ops token, the first order going On Hold, and the test's own overrides. */
    private void startBundle(Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>(Map.of("honeybee.ops.token", TOKEN, "honeybee.sandbox.exception-on-order", "1"));
        properties.putAll(overrides);
        bundle = RunningBundle.start(properties);
    }

    private void openPage() {
        browser.get("http://localhost:" + bundle.port() + "/ops");
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("save-token")).click();
    }

    private Object script(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Waits until the page has refreshed its data at least {@code times} more times ("updated 15:04:05" changes). */
    private void awaitRefreshes(int times) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        for (int i = 0; i < times; i++) {
            String before = browser.findElement(By.id("refreshed")).getText();
            wait.until(d -> !d.findElement(By.id("refreshed")).getText().equals(before)
                    && !d.findElement(By.id("refreshed")).getText().isEmpty());
        }
    }

    private boolean overflowsHorizontally() {
        return (Boolean) script("return document.scrollingElement.scrollWidth > window.innerWidth");
    }

    @Test
    void beforeLoginOnlyTheTokenFormShowsEnterOpensTheBoardAndForgettingTheTokenClearsTheScreen() {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://localhost:" + bundle.port() + "/ops");

        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.findElement(By.id("board")).isDisplayed()).as("the board before login").isFalse();
        assertThat(browser.findElements(By.cssSelector("section")).stream().filter(WebElement::isDisplayed)).as("sections before login").isEmpty();
        assertThat(browser.findElement(By.id("logout")).isDisplayed()).isFalse();

        token.sendKeys(TOKEN, Keys.ENTER);

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-prescription='" + rx + "'] [data-action='approve']")));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();

        browser.findElement(By.id("logout")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("[data-prescription]"))).as("data left in the page").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#board .item"))).isEmpty();
        assertThat(browser.findElement(By.id("token")).getAttribute("value")).isEmpty();
        assertThat(script("return sessionStorage.getItem('opsToken')")).isNull();
        assertThat(browser.findElement(By.id("refreshed")).getText()).isEmpty();
        // a refresh that was on its way does not bring the data back, nor does the timer
        awaitNoRefreshFor(Duration.ofMillis(3500));
        assertThat(browser.findElements(By.cssSelector("[data-prescription]"))).isEmpty();
        assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();
    }

    /** No refresh happens: the page stays as it is for the whole period (checked every 100 ms). */
    private void awaitNoRefreshFor(Duration period) {
        await().during(period).atMost(period.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> browser.findElement(By.id("refreshed")).getText().isEmpty()
                        && browser.findElements(By.cssSelector("#board .item")).isEmpty());
    }

    @Test
    void anExpiredPrescriptionIsShownExpiredInTheOperatorsTimeWithoutAnApproveButton() {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(HONEE);
        long current = life.prescribe(HONEE);
        // the integration guide's sample: prescription 183601, expire_date 2025-03-13T17:00:00.000-07:00
        post(RunningBundle.payload("rx-received.json", "page-expired"));
        bundle.awaitStatus("page-expired", com.example.honeybee.inbox.InboxStatus.PROCESSED);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        openPage();

        WebElement expired = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#approvals [data-prescription='183601']")));
        // 17:00 at UTC-7 is 5 PM in Los Angeles (daylight time from 9 March 2025), to the minute
        assertThat(expired.getText()).contains("expired").contains("Mar 13, 2025, 05:00 PM").doesNotContain("2025-03-1").doesNotContain(":00.");
        assertThat(expired.findElements(By.tagName("button"))).as("no Approve button").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#approvals [data-prescription='" + current + "'] [data-action='approve']"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#approvals .count")).getText()).as("only the current one awaits approval").isEqualTo("1");
    }

    @Test
    void aRefreshKeepsWhatTheOperatorTypesInTheReviewQueueAndLinkSendsIt() {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(new PartnerPatient("P-5005", null, "someone.else@example.com", "Some", "One",
                LocalDate.of(1977, 5, 5), "5555555555", "5 Fifth St", null, "Austin", "TX", "78701", true));
        long rx = life.prescribe(HONEE, false, 2, null);
        life.requestFill(rx);
        life.awaitFill(rx, 1, FillStatus.NEEDS_REVIEW);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        openPage();
        WebElement field = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#reviews [data-review] input")));

        field.click();
        field.sendKeys("P-50");
        awaitRefreshes(2);

        assertThat(field.getAttribute("value")).as("the value after two refreshes").isEqualTo("P-50");
        assertThat(script("return document.activeElement === arguments[0]", field)).as("the focus after two refreshes").isEqualTo(true);
        field.sendKeys("05");
        awaitRefreshes(1);
        browser.findElement(By.cssSelector("#reviews [data-review] [data-action='resolve']")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), ": done"));
        life.awaitFill(rx, 1, FillStatus.PLACED);
        assertThat(bundle.sql().queryOne("SELECT partner_patient_id FROM patient_review", r -> r.getString(1))).hasValue("P-5005");
    }

    @Test
    void onANarrowScreenNothingOverflowsSideways() {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        post(RunningBundle.payload("rx-received.json", "narrow-expired"));
        post("{\"event_id\":\"narrow-unknown-event-with-a-long-identifier-0123456789abcdef\",\"event_type\":\"PATIENT_UPDATED_WITH_A_LONG_TYPE_NAME\",\"patient_id\":\"ay87nt\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");
        browser.manage().window().setSize(new Dimension(360, 780));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://localhost:" + bundle.port() + "/ops");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(overflowsHorizontally()).as("the login form at %s px", script("return window.innerWidth")).isFalse();
        browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#exceptions [data-action='verified_by_partner']")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#approvals [data-prescription='183601']")));
        click(wait, "[data-order='" + order + "'] [data-action='timeline']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-order='" + order + "'] ol.timeline li")));

        assertThat((Long) script("return window.innerWidth")).isLessThanOrEqualTo(360L);
        assertThat(overflowsHorizontally()).as("the board at %s px: scrollWidth %s", script("return window.innerWidth"),
                script("return document.scrollingElement.scrollWidth")).isFalse();
        for (WebElement item : browser.findElements(By.cssSelector("#board .item"))) {
            assertThat((Boolean) script("const r = arguments[0].getBoundingClientRect(); return r.right <= window.innerWidth + 0.5", item))
                    .as("card %s inside the screen", item.getText()).isTrue();
        }
    }

    @Test
    void operatorApprovesAFillAndAnswersTheExceptionFromThePage() {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        openPage();

        WebElement approve = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-prescription='" + rx + "'] [data-action='approve']")));
        // a partial fill with an add-on, typed on the card; the refresh keeps what is typed
        browser.findElement(By.cssSelector("[data-prescription='" + rx + "'] input[name='quantity']")).sendKeys("2");
        browser.findElement(By.cssSelector("[data-prescription='" + rx + "'] input[name='package_size']")).sendKeys("45");
        browser.findElement(By.cssSelector("[data-prescription='" + rx + "'] input[name='add_ons']")).sendKeys("HB-INSERT:1:1");
        awaitRefreshes(1);
        browser.findElement(By.cssSelector("[data-prescription='" + rx + "'] [data-action='approve']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Fill of Rx " + rx + ": done"));
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(order);
        // the order's items in the shape of Honeybee's reference, written here by hand
        assertThat(life.sandbox().orderRequests().get(0).path("items").toString()).isEqualTo("[{\"prescription_id\":" + rx
                + ",\"quantity\":2,\"package_size\":45},{\"sku\":\"HB-INSERT\",\"quantity\":1,\"package_size\":1}]");

        WebElement verify = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#exceptions [data-action='verified_by_partner']")));
        verify.click();

        await().atMost(Duration.ofSeconds(20)).until(() -> !life.sandbox().actionRequests().isEmpty());
        assertThat(life.sandbox().actionRequests()).extracting(Object::toString).containsExactly("{\"event\":\"VERIFIED_BY_PARTNER\"}");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "verified_by_partner: done"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#exceptions .count"), "0"));
    }

    /**
     * What an operator sees first after login while the demo runs (the demo profile's settings: its patients,
     * a 1.5 s sandbox clock, the refill going On Hold) with the guide's expired sample posted as the README's
     * curl walkthrough does; the screenshot in docs/ is this moment. The page watching does not disturb the demo.
     */
    @Test
    void anOperatorOpensThePageWhileTheDemoRuns() throws IOException {
        startBundle(Map.of("honeybee.demo.enabled", "true", "honeybee.patients.import-csv", "classpath:honeybee/standalone/demo-patients.csv",
                "honeybee.sandbox.exception-on-order", "2", "honeybee.sandbox.step-ms", "1500"));
        // the demo starts only on a database without prescriptions: the guide's sample comes after the demo's own
        await().atMost(Duration.ofSeconds(30)).until(() -> bundle.sql().count("SELECT COUNT(*) FROM prescription WHERE prescription_id = 300001") == 1);
        post(RunningBundle.payload("rx-received.json", "demo-guide-sample"));
        bundle.awaitStatus("demo-guide-sample", com.example.honeybee.inbox.InboxStatus.PROCESSED);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        openPage();

        // the refill has been ordered: the first order is Delivered, the second on its way
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-order='HB1001']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-order='HB1000'] .status"), "Delivered"));
        assertThat(browser.findElement(By.cssSelector("#approvals [data-prescription='183601']")).getText()).contains("expired");
        assertThat(browser.findElements(By.cssSelector("#approvals [data-prescription='183601'] button"))).isEmpty();
        assertThat(browser.findElement(By.id("partner-api")).isDisplayed()).as("the Partner API check passed").isFalse();
        // the screenshot: three columns, the whole board and no empty space below it
        browser.manage().window().setSize(new Dimension(1440, 900));
        long chrome = (Long) script("return window.outerHeight - window.innerHeight");
        long board = ((Number) script("return Math.ceil(document.getElementById('board').getBoundingClientRect().bottom)")).longValue();
        browser.manage().window().setSize(new Dimension(1440, (int) (board + chrome)));
        screenshot("ops-page.png");
        await().atMost(Duration.ofSeconds(60)).until(bundle.bean("honeybeeDemoDriver", com.example.honeybee.demo.DemoDriver.class)::isComplete);
    }

    @Test
    void operatorCorrectsTheAddressOfAnAddressHoldAndContinues() throws IOException {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        openPage();

        click(wait, "#exceptions [data-action='open-address-form']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#exceptions form[data-address-form]")));
        // prefilled from the partner's record of the patient
        wait.until(d -> "123 Main St".equals(d.findElement(By.cssSelector("form[data-address-form] input[name='street1']")).getAttribute("value")));
        assertThat(field("state").getAttribute("value")).isEqualTo("TX");

        // Honeybee refuses a state it does not know: the field is marked, nothing is answered yet
        field("state").clear();
        field("state").sendKeys("ZZ");
        browser.findElement(By.cssSelector("form[data-address-form] [data-action='correct-address']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("form[data-address-form] [data-address-problem]"), "42226"));
        assertThat(field("state").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(life.sandbox().actionRequests()).isEmpty();
        screenshot("ops-address-correction.png");

        field("state").clear();
        field("state").sendKeys("TX");
        field("street1").clear();
        field("street1").sendKeys("500 Congress Ave");
        field("street2").sendKeys("Apt 4");
        browser.findElement(By.cssSelector("form[data-address-form] [data-action='correct-address']")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "verified_by_partner: done"));
        assertThat(life.sandbox().shippingAddress(order).path("street1").asText()).isEqualTo("500 Congress Ave");
        assertThat(life.sandbox().shippingAddress(order).path("street2").asText()).isEqualTo("Apt 4");
        assertThat(life.sandbox().actionRequests()).extracting(Object::toString).containsExactly("{\"event\":\"VERIFIED_BY_PARTNER\"}");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#exceptions .count"), "0"));
        life.awaitOrderStatus(order, "Delivered");
        assertThat(browser.findElements(By.cssSelector("form[data-address-form]"))).isEmpty();
    }

    /** Clicks the element once it is clickable, finding it again if a refresh replaced it between finding and clicking. */
    private static void click(WebDriverWait wait, String cssSelector) {
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            WebElement element = ExpectedConditions.elementToBeClickable(By.cssSelector(cssSelector)).apply(driver);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    private WebElement field(String name) {
        return browser.findElement(By.cssSelector("form[data-address-form] input[name='" + name + "']"));
    }

    @Test
    void trackingLinksOnlyToHttpPagesUnknownEventsAreListedAndBigIdsStayExact() {
        startBundle(Map.of());
        shipment("LINK-HTTPS", "\"https://www.fedex.com/fedextrack/?trknbr=774899172137\"");
        shipment("LINK-JS", "\"javascript:alert(document.cookie)\"");
        shipment("LINK-NONE", null);
        post(JsonMutation.set(RunningBundle.payload("order-exception.json", "page-big-id"), "exception.id", "9007199254740993"));
        post("{\"event_id\":\"page-unknown\",\"event_type\":\"PATIENT_UPDATED\",\"patient_id\":\"ay87nt\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bundle.awaitStatus("page-unknown", com.example.honeybee.inbox.InboxStatus.UNKNOWN_TYPE);
        bundle.awaitStatus("page-big-id", com.example.honeybee.inbox.InboxStatus.PROCESSED);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        openPage();

        // 2^53 + 1 exactly: as a JSON number the page would show 9007199254740992
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#exceptions [data-exception='9007199254740993']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#unknown-events [data-unknown-event='page-unknown']"),
                "PATIENT_UPDATED"));
        for (String order : new String[] {"LINK-HTTPS", "LINK-JS", "LINK-NONE"}) {
            click(wait, "[data-order='" + order + "'] [data-action='timeline']");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-order='" + order + "'] [data-shipment]")));
        }
        assertThat(trackingLinks(wait, "LINK-HTTPS")).containsExactly("https://www.fedex.com/fedextrack/?trknbr=774899172137");
        assertThat(trackingLinks(wait, "LINK-JS")).isEmpty();
        assertThat(trackingLinks(wait, "LINK-NONE")).isEmpty();
    }

    /**
     * The hrefs of the links in an order's shipment line, read in one script step: the page re-renders every 3 s,
     * so an element found by one WebDriver call may be gone by the next. Waits until the shipment line is there.
     */
    @SuppressWarnings("unchecked")
    private List<String> trackingLinks(WebDriverWait wait, String orderNumber) {
        return wait.until(driver -> (List<String>) ((JavascriptExecutor) driver).executeScript(
                "const line = document.querySelector(\"[data-shipment='\" + arguments[0] + \"']\");"
                        + " return line ? Array.from(line.querySelectorAll('a'), a => a.getAttribute('href')) : null;", orderNumber));
    }

    private void shipment(String orderNumber, String trackingUrlLiteral) {
        byte[] event = RunningBundle.payload("shipment-updated.json", "page-" + orderNumber);
        event = JsonMutation.set(event, "medication_requests[0].medication_dispenses[0].order_number", "\"" + orderNumber + "\"");
        post(JsonMutation.set(event, "medication_requests[0].medication_dispenses[0].shipment.tracking_url", trackingUrlLiteral));
        bundle.awaitStatus("page-" + orderNumber, com.example.honeybee.inbox.InboxStatus.PROCESSED);
    }

    private void post(byte[] event) {
        assertThat(bundle.postSigned(event).statusCode()).isEqualTo(200);
    }

    @Test
    void aLateExceptionIsShownLateWithoutButtonsAndIsNotCountedAsOnHold() {
        startBundle(Map.of());
        Lifecycle life = new Lifecycle(bundle);
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String order = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();
        life.awaitOrderStatus(order, "On Hold");
        long open = bundle.sql().queryOne("SELECT exception_id FROM order_exception", r -> r.getLong(1)).orElseThrow();
        new OpsClient(bundle.port(), TOKEN).post("/exceptions/" + open + "/actions", "{\"action\":\"verified_by_partner\"}");
        life.awaitOrderStatus(order, "Delivered");
        life.deliverOrderException(9001, order, "");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        openPage();

        WebElement late = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#exceptions [data-exception='9001']")));
        assertThat(late.getText()).contains("late").contains("arrived after the order was Delivered");
        assertThat(late.findElements(By.tagName("button"))).as("no action buttons").isEmpty();
        assertThat(browser.findElement(By.cssSelector("#exceptions .count")).getText()).isEqualTo("0");
    }

    @Test
    void aMisconfiguredPartnerApiIsShownAboveTheBoard() {
        // Honeybee's token endpoint refuses the bundle's credentials (401 invalid_client)
        startBundle(Map.of("honeybee.sandbox.client-secret", "the-secret-honeybee-issued"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        openPage();

        WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("partner-api")));
        assertThat(banner.getText()).startsWith("Partner API misconfigured: ").contains("401 invalid_client")
                .contains("webhooks are still accepted");
    }

    /** Saved under target/; with -Dhoneybee.screenshot.dir=docs also there, for the README. */
    private void screenshot(String name) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
        String dir = System.getProperty("honeybee.screenshot.dir");
        if (dir != null) {
            Files.copy(shot.toPath(), Path.of(dir, name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
