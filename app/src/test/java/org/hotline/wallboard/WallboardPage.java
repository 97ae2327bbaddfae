package org.hotline.wallboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The wallboard open in Debian's headless Chromium (driven through its chromedriver), read as a user
 * sees it: the text of every figure, row and alert, taken in one script run so it is one rendering.
 */
final class WallboardPage implements AutoCloseable {

    private static final String READ = """
            const fields = {};
            document.querySelectorAll('[data-field]').forEach(e => fields[e.dataset.field] = e.textContent);
            const rows = sel => Array.from(document.querySelectorAll(sel)).map(tr =>
                Array.from(tr.children).map(td => td.textContent));
            return {
              fields: fields,
              units: rows('#units tr'),
              unitIds: Array.from(document.querySelectorAll('#units tr')).map(tr => tr.dataset.unit),
              hotspots: Array.from(document.querySelectorAll('#hotspots tr')).map(tr =>
                  [tr.dataset.dimension].concat(Array.from(tr.children).map(td => td.textContent))),
              standing: Array.from(document.querySelectorAll('#standing tbody tr')).map(tr =>
                  [tr.dataset.unit].concat(Array.from(tr.children).map(td => td.textContent))),
              quarterBars: Array.from(document.querySelectorAll('#quarters rect.today title')).map(t => t.textContent),
              alerts: Array.from(document.querySelectorAll('#alerts li')).map(li =>
                  [li.dataset.rule, li.className, li.querySelector('.subject').textContent]),
              staleBanner: !document.getElementById('stale-banner').hidden,
              status: document.getElementById('status').textContent,
              elementsInUnits: document.querySelectorAll('#units img, #units b, #units script').length,
              title: document.title,
              injected: typeof window.injected !== 'undefined',
              loadedOnce: window.wallboardTestMarker === 'set once'
            };
            """;

    private final ChromeDriver driver;

    WallboardPage(String url, Path workDir) throws IOException {
        Files.createDirectories(workDir.resolve("tmp"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .withEnvironment(
                        Map.of("TMPDIR", workDir.resolve("tmp").toAbsolutePath().toString()))
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--window-size=1920,1080",
                        "--user-data-dir=" + workDir.resolve("profile").toAbsolutePath());
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        driver.get(url);
        // Set once after loading: still there later means the page updated itself without reloading.
        driver.executeScript("window.wallboardTestMarker = 'set once';");
    }

    /** What the page shows now. */
    @SuppressWarnings("unchecked")
    Shown read() {
        Map<String, Object> m = (Map<String, Object>) driver.executeScript(READ);
        return new Shown(
                (Map<String, String>) m.get("fields"),
                (List<List<String>>) m.get("units"),
                (List<String>) m.get("unitIds"),
                (List<List<String>>) m.get("hotspots"),
                (List<List<String>>) m.get("standing"),
                (List<List<String>>) m.get("alerts"),
                (List<String>) m.get("quarterBars"),
                (Boolean) m.get("staleBanner"),
                (String) m.get("status"),
                ((Number) m.get("elementsInUnits")).intValue(),
                (String) m.get("title"),
                (Boolean) m.get("injected"),
                (Boolean) m.get("loadedOnce"));
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }

    record Shown(
            Map<String, String> fields,
            List<List<String>> units,
            List<String> unitIds,
            List<List<String>> hotspots,
            List<List<String>> standing,
            List<List<String>> alerts,
            List<String> quarterBars,
            boolean staleBanner,
            String status,
            int elementsInUnits,
            String title,
            boolean injected,
            boolean loadedOnce) {

        /** A figure as a number: the digits (and sign and decimal point) of its text. */
        String number(String field) {
            String text = fields.get(field);
            return text == null ? null : digits(text);
        }

        static String digits(String text) {
            return text.replaceAll("[^0-9.\\-]", "");
        }
    }
}
