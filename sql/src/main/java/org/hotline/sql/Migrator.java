package org.hotline.sql;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Applies the bundled migrations (sql/migrations) in version order to one database, records each
 * in {@code <db>.schema_migrations}, and skips those already recorded: safe to run again. A recorded
 * migration whose file has since changed is an error, not silently ignored. On a cluster
 * ({@link ClusterLayout}) every statement runs ON CLUSTER, in its replicated and distributed form.
 */
public final class Migrator {

    private final ClickHouseSql ch;
    private final String database;
    private final List<Migration> migrations;
    private final ClusterLayout layout;

    public Migrator(ClickHouseSql ch, String database) {
        this(ch, database, bundled(), ClusterLayout.SINGLE);
    }

    public Migrator(ClickHouseSql ch, String database, ClusterLayout layout) {
        this(ch, database, bundled(), layout);
    }

    public Migrator(ClickHouseSql ch, String database, List<Migration> migrations) {
        this(ch, database, migrations, ClusterLayout.SINGLE);
    }

    public Migrator(ClickHouseSql ch, String database, List<Migration> migrations, ClusterLayout layout) {
        ClickHouseSql.database(database);
        this.ch = ch;
        this.database = database;
        this.layout = layout;
        this.migrations = migrations.stream()
                .sorted(Comparator.comparingInt(Migration::version))
                .toList();
        for (int i = 1; i < this.migrations.size(); i++) {
            if (this.migrations.get(i).version() == this.migrations.get(i - 1).version()) {
                throw new IllegalArgumentException(
                        "two migrations have version " + this.migrations.get(i).version());
            }
        }
    }

    /** Applies what is pending; returns the migrations it applied (empty when up to date). */
    public List<Migration> migrate(Consumer<String> progress) {
        run("CREATE DATABASE IF NOT EXISTS " + database);
        run("CREATE TABLE IF NOT EXISTS " + database + ".schema_migrations ("
                + " version UInt32, name String, checksum String, applied_at DateTime"
                + ") ENGINE = ReplacingMergeTree ORDER BY version");
        Map<Integer, String> applied = new HashMap<>();
        for (JsonNode row : ch.rows("SELECT version, checksum FROM " + database + ".schema_migrations FINAL")) {
            applied.put(row.get("version").asInt(), row.get("checksum").asText());
        }
        List<Migration> done = new ArrayList<>();
        for (Migration m : migrations) {
            String recorded = applied.get(m.version());
            if (recorded != null) {
                if (!recorded.equals(m.checksum())) {
                    throw new IllegalStateException("migration V" + m.version() + "__" + m.name() + " was applied to "
                            + database + " but its file has changed since; add a new migration instead");
                }
                continue;
            }
            progress.accept("applying V" + m.version() + "__" + m.name() + " to " + database);
            for (String statement : m.statements(database)) {
                run(statement);
            }
            ch.execute("INSERT INTO " + database + ".schema_migrations (version, name, checksum, applied_at) VALUES ("
                    + m.version() + ", '" + m.name() + "', '" + m.checksum() + "', now())");
            done.add(m);
        }
        return done;
    }

    private void run(String statement) {
        java.util.regex.Matcher add = ClusterLayout.addColumn(statement);
        if (add.matches()) {
            String db = add.group(1);
            String table = add.group(2);
            String column = add.group(4);
            // ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: a column already there (a migration stopped halfway
            // and run again) is not added twice
            if (ch.count("SELECT count() FROM system.columns WHERE database = '" + db + "' AND table = '" + table
                            + "' AND name = '" + column + "'")
                    > 0) {
                return;
            }
            if (!layout.local(table).equals(table)) { // a sharded table on a cluster
                String engine = ch.scalar("SELECT engine_full FROM system.tables WHERE database = '" + db
                        + "' AND name = '" + table + "'");
                layout.addColumn(db, table, add.group(3), engine).forEach(ch::execute);
                return;
            }
        }
        for (String s : layout.rewrite(statement)) {
            ch.execute(s);
        }
    }

    public List<Migration> migrations() {
        return migrations;
    }

    /** The migration files shipped in this jar (or classes folder), under {@code migrations/}. */
    public static List<Migration> bundled() {
        URL url = Migrator.class.getResource("/migrations");
        if (url == null) {
            throw new IllegalStateException("no migrations on the classpath");
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                try (FileSystem fs = FileSystems.newFileSystem(url.toURI(), Map.of())) {
                    return read(fs.getPath("/migrations"));
                }
            }
            return read(Path.of(url.toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Migration> read(Path dir) throws IOException {
        List<Migration> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".sql"))
                    .toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(Migration.fromFile(
                            f.getFileName().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        out.sort(Comparator.comparingInt(Migration::version));
        return out;
    }
}
