package org.hotline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.report.MonthAlerts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Print a month's alerts from ClickHouse as a JSON array, in event-time order.")
final class AlertsCommand implements Callable<Integer> {

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM")
    YearMonth month;

    @Option(names = "--format", defaultValue = "json", description = "json (default).")
    String format;

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ServerOptions servers;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("json")) {
            throw new IllegalArgumentException("--format must be json, not " + format);
        }
        HotlineConfig c = config.load();
        return LocalRuntime.withClickHouse(c, servers, ch -> {
            System.out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(MonthAlerts.read(ch, c.clickhouse.database, month)));
            return 0;
        });
    }
}
