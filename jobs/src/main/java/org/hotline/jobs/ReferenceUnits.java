package org.hotline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.hotline.config.HotlineConfig;
import org.hotline.sql.ClickHouseSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The units of the reference data (ClickHouse's {@code units} table), read again every {@code refresh} while the
 * job runs, so that a unit added is known without a restart; a replay reads them once.
 */
public final class ReferenceUnits implements GeneratorFunction<Long, Map<String, String>> {

    public static final TypeInformation<Map<String, String>> TYPE = Types.MAP(Types.STRING, Types.STRING);
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceUnits.class);

    private final String url;
    private final String user;
    private final String password;
    private final String database;
    private transient ClickHouseSql sql;

    private ReferenceUnits(HotlineConfig.ClickHouse ch) {
        this.url = ch.url;
        this.user = ch.user;
        this.password = ch.password;
        this.database = ch.database;
    }

    /** Unit id to group, every {@code refresh}; once only when {@code once}. */
    public static DataGeneratorSource<Map<String, String>> source(HotlineConfig.ClickHouse ch, Duration refresh, boolean once) {
        return new DataGeneratorSource<>(new ReferenceUnits(ch), once ? 1 : Long.MAX_VALUE,
                once ? RateLimiterStrategy.noOp() : RateLimiterStrategy.perSecond(1.0 / Math.max(1, refresh.toSeconds())), TYPE);
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        sql = new ClickHouseSql(url, user, password);
    }

    @Override
    public Map<String, String> map(Long index) {
        Map<String, String> units = new HashMap<>();
        try {
            for (JsonNode r : sql.rows("SELECT unit_id, unit_group FROM " + database + ".units FINAL")) {
                units.put(r.get("unit_id").asText(), r.get("unit_group").asText());
            }
        } catch (RuntimeException e) {
            // ClickHouse away for a moment: the units known so far stay known; the next reading brings the new ones
            LOG.warn("could not read the units from ClickHouse: {}", e.getMessage());
        }
        return units;
    }

    @Override
    public void close() {
        if (sql != null) {
            sql.close();
        }
    }
}
