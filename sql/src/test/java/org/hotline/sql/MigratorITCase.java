package org.hotline.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migrator against a real ClickHouse server (18.16 here). */
@ExtendWith(TestClickHouse.class)
class MigratorITCase {

    static ClickHouseSql ch;

    @BeforeAll
    static void start() {
        ch = TestClickHouse.sql();
    }

    @Test
    void appliesEveryMigrationOnceAndIsSafeToRunAgain() {
        List<String> progress = new ArrayList<>();
        List<Migration> first = new Migrator(ch, "mig_a").migrate(progress::add);
        assertThat(first).hasSameSizeAs(Migrator.bundled());
        assertThat(progress).hasSameSizeAs(first);
        assertThat(
                        ch.count(
                                "SELECT count() FROM system.tables WHERE database = 'mig_a' AND name IN "
                                        + "('call_events', 'ticket_events', 'dead_letters', 'call_quarter_metrics', 'call_quarters', 'ticket_daily_metrics', 'unit_backlog')"))
                .isEqualTo(7);

        List<Migration> second = new Migrator(ch, "mig_a").migrate(progress::add);
        assertThat(second).isEmpty();
        assertThat(ch.count("SELECT count() FROM mig_a.schema_migrations FINAL"))
                .isEqualTo(first.size());
    }

    /** A database with per-minute history, brought up to per-day history: the same sums, through the same views. */
    @Test
    void theMinuteHistoryIsSummedIntoDaysAndQuarterHoursWhenUpgraded() {
        List<Migration> upToMinutes =
                Migrator.bundled().stream().filter(m -> m.version() < 10).toList();
        new Migrator(ch, "mig_up", upToMinutes).migrate(s -> {});
        ch.execute(
                "INSERT INTO mig_up.ticket_minute_metrics (minute, dimension, value, completed, completed_on_time, version) VALUES "
                        + "(toDateTime('2023-09-01 23:59:00', 'Asia/Shanghai'), 'unit', 'U1', 2, 1, 1), "
                        + "(toDateTime('2023-09-01 23:59:00', 'Asia/Shanghai'), 'unit', 'U1', 3, 2, 2), " // the
                        // minute's
                        // later row
                        + "(toDateTime('2023-09-01 08:00:00', 'Asia/Shanghai'), 'unit', 'U1', 4, 4, 1), "
                        + "(toDateTime('2023-09-02 00:00:00', 'Asia/Shanghai'), 'unit', 'U1', 1, 0, 1)");
        ch.execute(
                "INSERT INTO mig_up.call_minute_metrics (minute, line, caller_region, offered, answered, answered_wait_max, "
                        + "version) VALUES (toDateTime('2023-09-01 09:14:00', 'Asia/Shanghai'), '12345', 'A', 5, 4, 30, 1), "
                        + "(toDateTime('2023-09-01 09:00:00', 'Asia/Shanghai'), '12345', 'A', 2, 2, 70, 1), "
                        + "(toDateTime('2023-09-01 09:15:00', 'Asia/Shanghai'), '12345', 'A', 1, 1, 5, 1)");

        new Migrator(ch, "mig_up").migrate(s -> {});
        assertThat(ch
                        .rows(
                                "SELECT toString(day) AS day, tickets, on_time FROM (SELECT day, sum(completed) AS tickets, "
                                        + "sum(completed_on_time) AS on_time FROM mig_up.unit_daily WHERE unit_id = 'U1' GROUP BY day) ORDER BY day")
                        .stream()
                        .map(Object::toString)
                        .toList())
                .containsExactly(
                        "{\"day\":\"2023-09-01\",\"tickets\":\"7\",\"on_time\":\"6\"}",
                        "{\"day\":\"2023-09-02\",\"tickets\":\"1\",\"on_time\":\"0\"}");
        assertThat(ch
                        .rows(
                                "SELECT toString(quarter) AS q, offered, answered, answered_wait_max FROM mig_up.call_quarters ORDER BY q")
                        .stream()
                        .map(Object::toString)
                        .toList())
                .containsExactly(
                        "{\"q\":\"2023-09-01 09:00:00\",\"offered\":\"7\",\"answered\":\"6\",\"answered_wait_max\":70}",
                        "{\"q\":\"2023-09-01 09:15:00\",\"offered\":\"1\",\"answered\":\"1\",\"answered_wait_max\":5}");
    }

    @Test
    void aColumnAddedByAMigrationStoppedHalfwayIsNotAddedTwice() {
        List<Migration> before =
                Migrator.bundled().stream().filter(m -> m.version() <= 10).toList();
        new Migrator(ch, "mig_col", before).migrate(s -> {});
        // V11's first statement ran, then the run stopped: V11 not recorded
        ch.execute("ALTER TABLE mig_col.unit_open_since ADD COLUMN open_due Array(DateTime('Asia/Shanghai'))");
        assertThat(new Migrator(ch, "mig_col").migrate(s -> {}))
                .extracting(Migration::version)
                .contains(11);
        assertThat(ch.count("SELECT count() FROM system.columns WHERE database = 'mig_col' "
                        + "AND table = 'unit_open_since' AND name = 'open_due'"))
                .isEqualTo(1);
        assertThat(ch.count("SELECT count() FROM mig_col.unit_backlog")).isZero();
    }

    @Test
    void appliesOnlyWhatIsNewAndRefusesAChangedMigration() {
        Migration one =
                Migration.fromFile("V1__one.sql", "CREATE TABLE IF NOT EXISTS ${db}.one (x UInt8) ENGINE = Memory;");
        Migration two =
                Migration.fromFile("V2__two.sql", "CREATE TABLE IF NOT EXISTS ${db}.two (x UInt8) ENGINE = Memory;");
        assertThat(new Migrator(ch, "mig_b", List.of(one)).migrate(s -> {})).containsExactly(one);
        assertThat(new Migrator(ch, "mig_b", List.of(two, one)).migrate(s -> {}))
                .containsExactly(two);

        Migration changed =
                Migration.fromFile("V1__one.sql", "CREATE TABLE IF NOT EXISTS ${db}.one (y UInt8) ENGINE = Memory;");
        assertThatThrownBy(() -> new Migrator(ch, "mig_b", List.of(changed, two)).migrate(s -> {}))
                .hasMessageContaining("V1__one")
                .hasMessageContaining("changed");
    }

    @Test
    void readsBackWhatItWrites() {
        assertThat(ch.rows("SELECT toUInt64(42) AS n, '湘潭' AS s"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.get("n").asLong()).isEqualTo(42);
                    assertThat(r.get("s").asText()).isEqualTo("湘潭");
                });
        assertThat(ch.scalar("SELECT 1 WHERE 0")).isNull();
    }
}
