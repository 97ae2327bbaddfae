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
        assertThat(ch.count("SELECT count() FROM system.tables WHERE database = 'mig_a' AND name IN "
                + "('call_events', 'ticket_events', 'dead_letters', 'call_quarter_metrics', 'call_quarters', 'ticket_daily_metrics', 'unit_backlog')")).isEqualTo(7);

        List<Migration> second = new Migrator(ch, "mig_a").migrate(progress::add);
        assertThat(second).isEmpty();
        assertThat(ch.count("SELECT count() FROM mig_a.schema_migrations FINAL")).isEqualTo(first.size());
    }

    @Test
    void appliesOnlyWhatIsNewAndRefusesAChangedMigration() {
        Migration one = Migration.fromFile("V1__one.sql", "CREATE TABLE IF NOT EXISTS ${db}.one (x UInt8) ENGINE = Memory;");
        Migration two = Migration.fromFile("V2__two.sql", "CREATE TABLE IF NOT EXISTS ${db}.two (x UInt8) ENGINE = Memory;");
        assertThat(new Migrator(ch, "mig_b", List.of(one)).migrate(s -> {})).containsExactly(one);
        assertThat(new Migrator(ch, "mig_b", List.of(two, one)).migrate(s -> {})).containsExactly(two);

        Migration changed = Migration.fromFile("V1__one.sql", "CREATE TABLE IF NOT EXISTS ${db}.one (y UInt8) ENGINE = Memory;");
        assertThatThrownBy(() -> new Migrator(ch, "mig_b", List.of(changed, two)).migrate(s -> {}))
                .hasMessageContaining("V1__one").hasMessageContaining("changed");
    }

    @Test
    void readsBackWhatItWrites() {
        assertThat(ch.rows("SELECT toUInt64(42) AS n, '湘潭' AS s")).singleElement()
                .satisfies(r -> {
                    assertThat(r.get("n").asLong()).isEqualTo(42);
                    assertThat(r.get("s").asText()).isEqualTo("湘潭");
                });
        assertThat(ch.scalar("SELECT 1 WHERE 0")).isNull();
    }
}
