package org.hotline.cli;

import java.util.concurrent.Callable;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Bring the ClickHouse schema up to date (safe to run again).")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        HotlineConfig c = config.load();
        int[] applied = {0};
        JobLauncher.migrate(c.clickhouse, s -> {
            applied[0]++;
            System.out.println(s);
        });
        System.out.println(
                applied[0] == 0
                        ? "ClickHouse database " + c.clickhouse.database + " is up to date."
                        : "Applied " + applied[0] + " migration(s) to " + c.clickhouse.database + ".");
        return 0;
    }
}
