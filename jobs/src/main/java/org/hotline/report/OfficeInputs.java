package org.hotline.report;

import java.time.YearMonth;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;

/** Loads what the office enters for a month (and the reference data) into ClickHouse, as a replay does. */
public final class OfficeInputs {
    private OfficeInputs() {}

    /** The profile's units, their knowledge-base, cooperation and bonus scores, and the previous month's published totals. */
    public static void load(ClickHouseSql ch, String db, Profile profile) {
        StringBuilder units = new StringBuilder();
        StringBuilder inputs = new StringBuilder();
        String month = "toDate('" + profile.month().atDay(1) + "')";
        for (Profile.UnitFigures u : profile.units()) {
            units.append(units.isEmpty() ? "" : ", ").append("(").append(quote(u.unit())).append(", ").append(quote(u.unit()))
                    .append(", ").append(quote(u.group())).append(", now())");
            inputs.append(inputs.isEmpty() ? "" : ", ").append("(").append(month).append(", ").append(quote(u.unit()))
                    .append(", ").append(u.knowledgeBase().toPlainString()).append(", ").append(u.cooperation().toPlainString())
                    .append(", ").append(u.bonus().toPlainString()).append(", '', now())");
        }
        if (!units.isEmpty()) {
            ch.execute("INSERT INTO " + db + ".units (unit_id, name, unit_group, updated_at) VALUES " + units);
            ch.execute("INSERT INTO " + db + ".office_inputs (month, unit_id, knowledge_base, cooperation, bonus, bonus_reason, "
                    + "updated_at) VALUES " + inputs);
        }
        var p = profile.previousMonth();
        if (p != null && p.isObject() && p.size() > 0) {
            YearMonth previous = profile.month().minusMonths(1);
            ch.execute("INSERT INTO " + db + ".published_months (month, city, calls_answered, connection_rate_pct, tickets_valid, "
                    + "tickets_dispatched, callback_satisfaction_pct, updated_at) VALUES (toDate('" + previous.atDay(1) + "'), "
                    + quote(profile.city()) + ", " + p.path("calls_answered").asLong() + ", "
                    + p.path("connection_rate_pct").decimalValue().toPlainString() + ", " + p.path("tickets_valid").asLong() + ", "
                    + p.path("tickets_dispatched").asLong() + ", "
                    + p.path("callback_satisfaction_pct").decimalValue().toPlainString() + ", now())");
        }
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
