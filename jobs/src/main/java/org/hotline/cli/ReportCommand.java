package org.hotline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.report.MonthReport;
import org.hotline.sql.ClickHouseSql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print a month's figures read from ClickHouse, in the shape of a profile's month.json, with units.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    Hotline.ConfigOption config;

    @Option(names = "--month", required = true, description = "The month, YYYY-MM.")
    YearMonth month;

    @Option(names = "--format", defaultValue = "json", description = "json (default).")
    String format;

    @Option(names = "--top", defaultValue = "11", description = "How many hotspot categories (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    Hotline.ServerOptions servers;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("json")) {
            throw new IllegalArgumentException("--format " + format + " is not available yet; use json");
        }
        HotlineConfig c = config.load();
        try (LocalRuntime runtime = LocalRuntime.clickhouse(c, servers.workDir, servers.clickhouseUrl);
                ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            JobLauncher.migrate(c.clickhouse, s -> {});
            var report = new MonthReport(ch, c.clickhouse.database).build(month, top);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        }
        return 0;
    }
}
