package org.hotline.sql;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A small ClickHouse client for statements, reads and the job's inserts, over HTTP with the
 * official client-v2. Written so it works on 18.16 as on current servers: no compressed responses,
 * the output format passed as the {@code default_format} setting, tables named {@code db.table}.
 */
public final class ClickHouseSql implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.regex.Pattern DATABASE = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A database name, checked to be letters, digits and _ so that it can stand in SQL as it is. */
    public static String database(String name) {
        if (name == null || !DATABASE.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name + "' must be letters, digits and _");
        }
        return name;
    }

    /** A string as a ClickHouse literal: quoted, its backslashes and quotes escaped. */
    public static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private final Client client;

    public ClickHouseSql(String httpUrl, String user, String password) {
        URI uri = URI.create(httpUrl);
        this.client = new Client.Builder()
                .addEndpoint(httpUrl)
                .setUsername(user)
                .setPassword(password == null ? "" : password)
                .compressServerResponse(false)
                .setSocketTimeout(120, java.time.temporal.ChronoUnit.SECONDS)
                .build();
        if (uri.getPort() < 0 && uri.getHost() == null) {
            throw new IllegalArgumentException("not an http URL: " + httpUrl);
        }
    }

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT, ...). */
    public void execute(String sql) {
        try (QueryResponse r = run(sql, "TabSeparated")) {
            r.getInputStream().readAllBytes();
        } catch (Exception e) {
            throw failure(sql, e);
        }
    }

    /** Runs a SELECT and returns its rows as JSON objects (64-bit integers come as strings; use asLong). */
    public List<JsonNode> rows(String sql) {
        try (QueryResponse r = run(sql, "JSONEachRow");
                InputStream in = r.getInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8))) {
            List<JsonNode> rows = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(MAPPER.readTree(line));
                }
            }
            return rows;
        } catch (Exception e) {
            throw failure(sql, e);
        }
    }

    /** The first column of the first row, as text; null when there is no row. */
    public String scalar(String sql) {
        try (QueryResponse r = run(sql, "TabSeparated")) {
            String body = new String(r.getInputStream().readAllBytes(), UTF_8);
            if (body.isEmpty()) {
                return null;
            }
            int end = body.indexOf('\n');
            String line = end < 0 ? body : body.substring(0, end);
            int tab = line.indexOf('\t');
            return tab < 0 ? line : line.substring(0, tab);
        } catch (Exception e) {
            throw failure(sql, e);
        }
    }

    public long count(String sql) {
        String s = scalar(sql);
        return s == null ? 0 : Long.parseLong(s);
    }

    /** Inserts rows given as TabSeparated text into {@code table} ({@code db.table}), its {@code columns} in that order. */
    public void insertTabSeparated(String table, List<String> columns, byte[] rows) {
        try {
            client.insert(
                            table,
                            columns,
                            new java.io.ByteArrayInputStream(rows),
                            com.clickhouse.data.ClickHouseFormat.TabSeparated)
                    .get(180, TimeUnit.SECONDS)
                    .close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Exception cause = e instanceof ExecutionException && e.getCause() instanceof Exception c ? c : e;
            throw failure("INSERT INTO " + table + " FORMAT TabSeparated", cause);
        }
    }

    private QueryResponse run(String sql, String format) throws Exception {
        QuerySettings settings = new QuerySettings().serverSetting("default_format", format);
        try {
            return client.query(sql, settings).get(180, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    private static ClickHouseException failure(String sql, Exception e) {
        String shortSql = sql.length() > 300 ? sql.substring(0, 300) + "..." : sql;
        return new ClickHouseException("ClickHouse failed on: " + shortSql.strip() + "\n  " + e.getMessage(), e);
    }

    @Override
    public void close() {
        client.close();
    }

    /** A statement ClickHouse refused or could not run. */
    public static final class ClickHouseException extends RuntimeException {
        ClickHouseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
