package org.hotline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotline.assessment.Assessment;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.report.Bulletin;
import org.hotline.report.MonthAlerts;
import org.hotline.report.MonthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "A month read from ClickHouse: its figures as JSON in the shape of a profile's month.json (with units), "
                        + "or its bulletin as HTML or Markdown.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--month", required = true, description = "The month, YYYY-MM.")
    YearMonth month;

    @Option(
            names = "--format",
            defaultValue = "json",
            description =
                    "json (the figures, default), html (the bulletin, one self-contained page) or md (the bulletin in Markdown).")
    String format;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write bulletin-<month>.<format> into this folder instead of printing.")
    Path out;

    @Option(
            names = "--top",
            defaultValue = "11",
            description = "How many hotspot categories (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    Hotline.ServerOptions servers;

    @Override
    public Integer call() throws Exception {
        if (!List.of("json", "html", "md").contains(format)) {
            throw new IllegalArgumentException("--format must be json, html or md, not " + format);
        }
        HotlineConfig c = config.load();
        return LocalRuntime.withClickHouse(c, servers, ch -> {
            var report = new MonthReport(ch, c.clickhouse.database).build(month, top);
            String text = switch (format) {
                case "json" ->
                    new ObjectMapper()
                                    .enable(SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(report) + "\n";
                default -> {
                    Bulletin bulletin = new Bulletin(
                            report,
                            Assessment.rank(Assessment.fromReport(report, s -> System.err.println("hotline: " + s))),
                            MonthAlerts.read(ch, c.clickhouse.database, month));
                    yield format.equals("html") ? bulletin.html() : bulletin.markdown();
                }
            };
            if (out == null) {
                System.out.print(text);
            } else {
                Files.createDirectories(out);
                Path file = out.resolve("bulletin-" + month + "." + format);
                Files.writeString(file, text, StandardCharsets.UTF_8);
                System.err.println("Wrote " + file);
            }
            return 0;
        });
    }
}
