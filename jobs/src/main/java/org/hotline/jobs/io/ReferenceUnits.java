package org.hotline.jobs.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.util.function.SerializableSupplier;
import org.hotline.config.HotlineConfig;
import org.hotline.sql.ClickHouseSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The units of the reference data (ClickHouse's {@code units} table), read whenever asked. */
public final class ReferenceUnits implements SerializableSupplier<Set<String>> {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceUnits.class);

    private final String url;
    private final String user;
    private final String password;
    private final String database;

    public ReferenceUnits(HotlineConfig.ClickHouse ch) {
        this.url = ch.url;
        this.user = ch.user;
        this.password = ch.password;
        this.database = ch.database;
    }

    /** The unit ids, or null when ClickHouse cannot be read just now. */
    @Override
    public Set<String> get() {
        try (ClickHouseSql sql = new ClickHouseSql(url, user, password)) {
            Set<String> units = new HashSet<>();
            for (JsonNode r : sql.rows("SELECT unit_id FROM " + database + ".units FINAL")) {
                units.add(r.get("unit_id").asText());
            }
            return units;
        } catch (RuntimeException e) {
            LOG.warn("could not read the units from ClickHouse: {}", e.getMessage());
            return null;
        }
    }
}
