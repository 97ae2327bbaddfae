package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.hotline.config.HotlineConfig;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.simulator.KafkaPlayback;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replay whose sink cannot write ends with the cause, not in a hang: a bounded Kafka source restored
 * after a restart would never finish (FLINK-31006), so a replay is not restarted.
 */
@ExtendWith(SharedServices.class)
class ReplayFailureITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Live data in the database: the replay refuses, names the way out, and leaves the live rows as they were. */
    @Test
    void aReplayRefusesToReplaceTheLiveJobsMonth() throws Exception {
        HotlineConfig c = SharedServices.config("replay_over_live");
        JobLauncher.migrate(c.clickhouse, s -> {});
        String db = c.clickhouse.database;
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            ch.execute("INSERT INTO " + db
                    + ".call_events (event_id, event_type, event_time, call_id, line, caller_region, "
                    + "agent_id, schema_version) VALUES ('e1', 'offered', toDateTime('2024-03-05 10:00:00', 'Asia/Shanghai'), "
                    + "'live-1', '12345', 'x', '', 1)");
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exit = Cli.run(
                    err,
                    "replay",
                    "--profile",
                    ReplayITCase.profileArgument(BadInputITCase.PROFILE),
                    "--clickhouse-url",
                    c.clickhouse.url,
                    "--bootstrap-servers",
                    c.kafka.bootstrapServers,
                    "--database",
                    db);

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("ClickHouse database " + db + " holds 1 event(s) of 2024-03 that no replay wrote")
                    .contains("--database NAME");
            assertThat(ch.count("SELECT count() FROM " + db + ".call_events"))
                    .as("the live row, still there")
                    .isEqualTo(1);
        }
    }

    @Test
    void aReplayThatCannotWriteFailsWithTheCause() throws Exception {
        HotlineConfig c = SharedServices.config("replay_failure");
        Profile profile = Profile.load(ReplayITCase.profileArgument(BadInputITCase.PROFILE));
        MonthSimulator.Month month = new MonthSimulator(profile, 2023).generate();
        new KafkaPlayback(
                        c.kafka.clientProperties(),
                        c.kafka.bootstrapServers,
                        c.kafka.callsTopic,
                        c.kafka.ticketsTopic,
                        profile.zone())
                .play(month, 0, s -> {});
        JobLauncher.migrate(c.clickhouse, s -> {});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobLauncher.build(env, c, KafkaSources.Reading.REPLAY);
        // The raw calls' table goes away: every insert into it fails, retried, then the task fails.
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            ch.execute("DROP TABLE " + c.clickhouse.database + ".call_events");
        }

        var result = env.executeAsync("replay that cannot write").getJobExecutionResult();
        assertThatThrownBy(() -> result.get(3, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                        .contains("rows for " + c.clickhouse.database + ".call_events not written after 6 attempts"));
    }
}
