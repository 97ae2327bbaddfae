package org.hotline.jobs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hotline.jobs.tickets.TicketEvents.t;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.CheckedProducer;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.SharedServices;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A unit entered in the units table while the job runs: the steps naming it, which were waiting for it, are
 * counted once it is known, without a restart, and none is kept aside.
 */
@ExtendWith(SharedServices.class)
class UnitAddedWhileRunningITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final EventWriter WRITER = new EventWriter(ZoneId.of("Asia/Shanghai"));

    @Test
    void stepsNamingANewUnitAreCountedOnceItIsEntered() throws Exception {
        HotlineConfig c = SharedServices.config("unit_added");
        c.job.unitsRefreshSeconds = 1;
        JobLauncher.migrate(c.clickhouse, s -> {});
        String db = c.clickhouse.database;
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, "default", "")) {
            ch.execute("INSERT INTO " + db
                    + ".units (unit_id, name, unit_group, updated_at) VALUES ('A', 'A', 'district', now())");
            JobClient job = JobLauncher.start(
                    StreamExecutionEnvironment.getExecutionEnvironment(), c, KafkaSources.Reading.LIVE, s -> {});
            try {
                TicketEvents k1 = new TicketEvents("k1");
                TicketEvents k2 = new TicketEvents("k2");
                send(
                        c,
                        List.of(
                                k1.created(t(0), "路灯"),
                                k1.dispatched("NEW", t(1), t(600)),
                                k2.created(t(2), "路灯"),
                                k2.dispatched("A", t(3), t(600)),
                                k1.completed("NEW", t(10))));
                // on both partitions, later: the watermark passes the steps (not yet the unknown unit's wait, 30 min)
                for (int partition = 0; partition < 2; partition++) {
                    TicketEvent e = new TicketEvents("later-" + partition).created(t(20), "路灯");
                    try (CheckedProducer p = new CheckedProducer(
                            new Properties(), c.kafka.bootstrapServers, List.of(c.kafka.ticketsTopic))) {
                        p.send(c.kafka.ticketsTopic, partition, e.ticketId(), WRITER.write(e));
                        p.finish();
                    }
                }
                // each subtask's sink writes on its own flush: both tickets' rows are awaited, not one then the other
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    assertThat(steps(ch, db, "k2"))
                            .as("the known unit's ticket")
                            .isEqualTo(2);
                    assertThat(steps(ch, db, "k1"))
                            .as("k1 created; its steps naming unit NEW wait")
                            .isEqualTo(1);
                });

                ch.execute("INSERT INTO " + db
                        + ".units (unit_id, name, unit_group, updated_at) VALUES ('NEW', 'NEW', 'park', now())");

                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    assertThat(steps(ch, db, "k1")).isEqualTo(3);
                    assertThat(ch.count("SELECT count() FROM " + db + ".ticket_state FINAL WHERE ticket_id = 'k1' "
                                    + "AND status = 'completed' AND unit_id = 'NEW'"))
                            .isEqualTo(1);
                    assertThat(ch.count("SELECT sum(completed) FROM " + db + ".ticket_daily_metrics FINAL "
                                    + "WHERE dimension = 'unit' AND value = 'NEW'"))
                            .isEqualTo(1);
                });
                assertThat(ch.count("SELECT count() FROM " + db + ".dead_letters FINAL"))
                        .as("nothing kept aside")
                        .isZero();
            } finally {
                job.cancel().get();
            }
        }
    }

    private static long steps(ClickHouseSql ch, String db, String ticket) {
        return ch.count("SELECT count() FROM " + db + ".ticket_events FINAL WHERE ticket_id = '" + ticket + "'");
    }

    private static void send(HotlineConfig c, List<TicketEvent> events) {
        try (CheckedProducer p =
                new CheckedProducer(new Properties(), c.kafka.bootstrapServers, List.of(c.kafka.ticketsTopic))) {
            events.forEach(e -> p.send(c.kafka.ticketsTopic, e.ticketId(), WRITER.write(e)));
            p.finish();
        }
    }
}
