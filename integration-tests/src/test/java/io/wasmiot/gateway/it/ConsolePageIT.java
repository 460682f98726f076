package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console page "WasmIoT devices" in a real headless Chromium: rows appear from the live
 * data, a row's log lines show on a click and follow live, forget removes a row without a page
 * reload, device names and log lines are shown as text.
 */
public class ConsolePageIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String PASSWORD = "it-console-secret";
    private GatewayProcess gateway;
    private SimulatorProcess devices;
    private ChromeDriver browser;

    @Before
    public void start() throws Exception {
        boolean browserInstalled = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!browserInstalled && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("chromium and chromium-driver are missing: .ci/run installs them");
        }
        assumeTrue("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
                browserInstalled);
        gateway = GatewayProcess.start("console-it", GatewayProcess.Config.fast()
                .set("org.apache.felix.webconsole.internal.servlet.OsgiManager", "username", "operator")
                .set("org.apache.felix.webconsole.internal.servlet.OsgiManager", "password", PASSWORD));
        devices = SimulatorProcess.start(gateway.dir, 3, "--name-prefix", "page-");
        for (int i = 1; i <= 3; i++) {
            String name = String.format("page-%04d", i);
            Await.until(name + " listed", Duration.ofSeconds(30), () -> gateway.healthyDevice(name));
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-it"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @After
    public void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (devices != null) {
            devices.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void pageShowsDevicesLiveAndForgetRemovesTheRow() throws Exception {
        // A device whose name is markup: the page must show it as text.
        SimulatorProcess plain = SimulatorProcess.start(gateway.dir, 1, "--name-prefix", "hidden-", "--no-mdns");
        try {
            String hostile = "<img src=x onerror=alert(1)><b>bold</b>";
            String body = "{\"name\":\"" + hostile + "\",\"port\":" + plain.port("hidden-0001") + ",\"addresses\":[\"127.0.0.1\"]}";
            assertEquals(204, gateway.http.post("/discovery/register", "application/json", body).statusCode());

            browser.get("http://operator:" + PASSWORD + "@127.0.0.1:" + gateway.port + "/system/console/wasmiot-devices");
            try {
                Await.until("four rows in the table", Duration.ofSeconds(30), () -> rows().size() == 4);
            } catch (AssertionError e) {
                // What the browser showed, for whoever reads the failure.
                Path dir = Path.of(System.getProperty("wasmiot.it.dir", "target/it"));
                Files.writeString(dir.resolve("console-failure.html"), browser.getPageSource());
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve("console-failure.png"),
                        StandardCopyOption.REPLACE_EXISTING);
                throw e;
            }
            List<String> names = rows().stream().map(row -> row.findElement(By.className("wasmiot-name")).getText()).toList();
            assertTrue(names.toString(), names.contains("page-0001") && names.contains(hostile));
            assertTrue("no markup from device data", browser.findElements(By.cssSelector("#wasmiot-devices b, #wasmiot-devices img")).isEmpty());

            Path shot = Path.of(System.getProperty("wasmiot.it.dir", "target/it"), "console-devices.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

            browser.executeScript("window.wasmiotMarker = 42;"); // gone if the page reloads
            // A row's log lines (POST /device/logs), shown as text on a click, and live afterwards.
            assertEquals(200, postLogLine("page-0002", "first <img src=x onerror=alert(2)>").statusCode());
            rowNamed("page-0002").click();
            Await.until("page-0002's log line shown", Duration.ofSeconds(30), () -> logLines().stream()
                    .anyMatch(line -> line.contains("INFO  first <img src=x onerror=alert(2)>  (run)")));
            assertTrue("no markup from log lines",
                    browser.findElements(By.cssSelector(".wasmiot-logs img, .wasmiot-logs b")).isEmpty());
            assertEquals(200, postLogLine("page-0002", "second, live").statusCode());
            Await.until("the next line shown without a reload", Duration.ofSeconds(30),
                    () -> logLines().stream().anyMatch(line -> line.contains("second, live")));
            WebElement row = rowNamed("page-0001");
            row.findElement(By.xpath(".//button[text()='Forget']")).click();
            Await.until("page-0001's row gone", Duration.ofSeconds(30), () -> {
                return rows().stream().noneMatch(r -> r.findElement(By.className("wasmiot-name")).getText().equals("page-0001"));
            });
            assertEquals("the page was not reloaded", 42L, browser.executeScript("return window.wasmiotMarker;"));
            assertEquals(404, gateway.http.get("/file/device/page-0001").statusCode());
            // The core deletes the row, then logs: the device can be gone a moment before the line.
            Await.until("the forget logged with its reason", Duration.ofSeconds(30), () -> gateway.log()
                    .contains("page-0001") && gateway.log().contains("forgotten: forgotten by operator (web console, operator)"));
        } finally {
            plain.close();
        }
    }

    private java.net.http.HttpResponse<String> postLogLine(String device, String message) {
        String line = "{\"timestamp\":\"2026-12-07 10:00:00,000\",\"loglevel\":\"INFO\",\"message\":\""
                + message + "\",\"funcName\":\"run\",\"deviceName\":\"" + device + "\"}";
        return gateway.http.post("/device/logs", "application/x-www-form-urlencoded",
                "logData=" + java.net.URLEncoder.encode(line, java.nio.charset.StandardCharsets.UTF_8));
    }

    private List<String> logLines() {
        return browser.findElements(By.cssSelector("#wasmiot-devices .wasmiot-logs li")).stream()
                .map(WebElement::getText).toList();
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#wasmiot-devices tbody tr.wasmiot-row"));
    }

    private WebElement rowNamed(String name) {
        return rows().stream().filter(r -> r.findElement(By.className("wasmiot-name")).getText().equals(name))
                .findFirst().orElseThrow();
    }
}
