package org.hotline.cli;

import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotline.assessment.Assessment;
import org.hotline.assessment.AssessmentCsv;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.report.MonthReport;
import org.hotline.sql.ClickHouseSql;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "assess",
        mixinStandardHelpOptions = true,
        description =
                "Score and rank every unit by the monthly assessment (考核), as CSV: from a file in the layout of a "
                        + "profile's units.csv, or from a month's figures in ClickHouse (then stored there too).")
final class AssessCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--input", paramLabel = "FILE.csv", description = "Units with the columns of units.csv.")
        Path input;

        @Option(
                names = "--month",
                paramLabel = "YYYY-MM",
                description = "A month in ClickHouse: the stream's figures and the office's inputs.")
        YearMonth month;
    }

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ServerOptions servers;

    @Override
    public Integer call() throws Exception {
        if (source.input != null) {
            try (Reader in = Files.newBufferedReader(source.input, StandardCharsets.UTF_8)) {
                AssessmentCsv.write(Assessment.rank(AssessmentCsv.read(in)), System.out);
            }
            return 0;
        }
        HotlineConfig c = config.load();
        return LocalRuntime.withClickHouse(c, servers, ch -> {
            List<Assessment.Score> scores = Assessment.rank(Assessment.fromReport(
                    new MonthReport(ch, c.clickhouse.database).build(source.month, 0),
                    s -> System.err.println("hotline: " + s)));
            store(ch, c.clickhouse.database, source.month, scores);
            AssessmentCsv.write(scores, System.out);
            return 0;
        });
    }

    private static void store(ClickHouseSql ch, String db, YearMonth month, List<Assessment.Score> scores) {
        if (scores.isEmpty()) {
            return;
        }
        StringBuilder values = new StringBuilder();
        for (Assessment.Score s : scores) {
            Assessment.UnitMonth u = s.unit();
            values.append(values.isEmpty() ? "" : ", ")
                    .append("(toDate('")
                    .append(month.atDay(1))
                    .append("'), ")
                    .append(ClickHouseSql.literal(u.unit()))
                    .append(", '")
                    .append(u.group().wire())
                    .append("', '")
                    .append(s.tier())
                    .append("', ")
                    .append(s.rank())
                    .append(", ")
                    .append(u.tickets());
            for (BigDecimal v : s.figures()) {
                values.append(", ").append(v.toPlainString());
            }
            values.append(", now())");
        }
        ch.execute("INSERT INTO " + db
                + ".assessment (month, unit_id, unit_group, tier, rank, tickets, on_time_score, delay_score, "
                + "contact_score, satisfaction_score, reject_score, knowledge_base, cooperation, bonus, total, computed_at) VALUES "
                + values);
    }
}
