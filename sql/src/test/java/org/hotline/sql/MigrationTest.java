package org.hotline.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void splitsStatementsAtLineEndSemicolonsAndDropsComments() {
        Migration m = Migration.fromFile("V003__two_tables.sql", """
                -- first
                CREATE TABLE IF NOT EXISTS ${db}.a (x String DEFAULT ';')
                ENGINE = Memory;

                -- second
                CREATE TABLE IF NOT EXISTS ${db}.b (x UInt8) ENGINE = Memory;
                """);
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.name()).isEqualTo("two_tables");
        assertThat(m.statements("it_db"))
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS it_db.a (x String DEFAULT ';')\nENGINE = Memory",
                        "CREATE TABLE IF NOT EXISTS it_db.b (x UInt8) ENGINE = Memory");
    }

    @Test
    void refusesFilesNotNamedByVersion() {
        assertThatThrownBy(() -> Migration.fromFile("create_tables.sql", "SELECT 1"))
                .hasMessageContaining("V<version>__<name>.sql");
    }

    @Test
    void checksumChangesWithTheText() {
        assertThat(Migration.fromFile("V1__a.sql", "SELECT 1").checksum())
                .isNotEqualTo(Migration.fromFile("V1__a.sql", "SELECT 2").checksum())
                .hasSize(64);
    }

    @Test
    void bundledMigrationsAreOrderedAndEveryStatementCanBeRunAgain() {
        List<Migration> bundled = Migrator.bundled();
        assertThat(bundled).extracting(Migration::version).isSorted().doesNotHaveDuplicates();
        assertThat(bundled).hasSizeGreaterThanOrEqualTo(2);
        for (Migration m : bundled) {
            for (String statement : m.statements("db")) {
                assertThat(statement)
                        .as("V%s: %s", m.version(), statement)
                        .containsPattern(
                                "(?i)^(CREATE (TABLE|VIEW|MATERIALIZED VIEW|DATABASE) IF NOT EXISTS |DROP TABLE IF EXISTS "
                                        + "|INSERT INTO |ALTER TABLE \\w+\\.\\w+ ADD COLUMN )"); // (the migrator adds a
                // missing one)
            }
        }
    }
}
