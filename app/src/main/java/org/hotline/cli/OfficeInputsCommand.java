package org.hotline.cli;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.report.OfficeInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "office-inputs",
        mixinStandardHelpOptions = true,
        description = "Load what the office enters for a month (knowledge base, cooperation, bonus or deductions and "
                + "their reasons) from CSV into ClickHouse. A later load replaces an earlier one, unit by unit.")
final class OfficeInputsCommand implements Callable<Integer> {

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM")
    YearMonth month;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE.csv",
            description =
                    "Columns unit, knowledge_base, cooperation, bonus and optionally bonus_reason (a units.csv works too).")
    Path input;

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ServerOptions servers;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        return LocalRuntime.withClickHouse(c, servers, ch -> {
            try (Reader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                int n = OfficeInputs.loadCsv(ch, c.clickhouse.database, month, in);
                System.out.println("Loaded the office's inputs of " + n + " units for " + month + ".");
            }
            return 0;
        });
    }
}
