package org.hotline.bench;

import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.connector.jdbc.core.database.JdbcFactory;
import org.apache.flink.connector.jdbc.core.database.catalog.JdbcCatalog;
import org.apache.flink.connector.jdbc.core.database.dialect.AbstractDialect;
import org.apache.flink.connector.jdbc.core.database.dialect.AbstractDialectConverter;
import org.apache.flink.connector.jdbc.core.database.dialect.JdbcDialectConverter;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * ClickHouse for Flink SQL's JDBC connector, which ships dialects for other databases only: appends through the
 * generic converter (an insert per row, batched by the connector), for the benchmark's {@link SqlPeer}. No upserts
 * and no catalog: the peer's tables are plain MergeTree tables it inserts window results into.
 */
public final class ClickHouseJdbcDialect extends AbstractDialect {

    @Override
    public String dialectName() {
        return "ClickHouse";
    }

    @Override
    public Optional<String> defaultDriverName() {
        return Optional.of("com.clickhouse.jdbc.ClickHouseDriver");
    }

    @Override
    public JdbcDialectConverter getRowConverter(RowType rowType) {
        return new Converter(rowType);
    }

    @Override
    public String getLimitClause(long limit) {
        return "LIMIT " + limit;
    }

    /** A table may be named with its database ({@code db.table}): each part quoted, since the URL names no database. */
    @Override
    public String quoteIdentifier(String identifier) {
        return "`" + identifier.replace(".", "`.`") + "`";
    }

    @Override
    public Optional<String> getUpsertStatement(String table, String[] fields, String[] keys) {
        return Optional.empty(); // append only
    }

    @Override
    public Optional<Range> timestampPrecisionRange() {
        return Optional.of(Range.of(0, 3));
    }

    @Override
    public Set<LogicalTypeRoot> supportedTypes() {
        return EnumSet.of(
                LogicalTypeRoot.CHAR,
                LogicalTypeRoot.VARCHAR,
                LogicalTypeRoot.BOOLEAN,
                LogicalTypeRoot.INTEGER,
                LogicalTypeRoot.BIGINT,
                LogicalTypeRoot.DOUBLE,
                LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE);
    }

    /** As the generic one, but a timestamp goes as text: the driver's own form calls a function 18.16 does not have. */
    static final class Converter extends AbstractDialectConverter {
        Converter(RowType rowType) {
            super(rowType);
        }

        @Override
        protected JdbcSerializationConverter createExternalConverter(LogicalType type) {
            if (type.getTypeRoot() == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE) {
                int precision = ((TimestampType) type).getPrecision();
                return (row, index, statement) -> statement.setString(
                        index,
                        row.getTimestamp(index, precision)
                                .toLocalDateTime()
                                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
            }
            return super.createExternalConverter(type);
        }

        @Override
        public String converterName() {
            return "ClickHouse";
        }
    }

    /** Found by Flink's JDBC connector through {@code META-INF/services} for {@code jdbc:clickhouse:} URLs. */
    public static final class Factory implements JdbcFactory {
        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:clickhouse:");
        }

        @Override
        public ClickHouseJdbcDialect createDialect() {
            return new ClickHouseJdbcDialect();
        }

        @Override
        public JdbcCatalog createCatalog(
                ClassLoader classLoader,
                String catalogName,
                String defaultDatabase,
                String username,
                String pwd,
                String baseUrl) {
            throw new UnsupportedOperationException("no JDBC catalog for ClickHouse");
        }
    }
}
