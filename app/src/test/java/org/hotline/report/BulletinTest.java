package org.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import org.hotline.assessment.Assessment;
import org.hotline.events.UnitGroup;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The bulletin page shows names from the data as text, never as markup. */
class BulletinTest {

    static ObjectNode report(String category) {
        ObjectNode r = new ObjectMapper().createObjectNode();
        r.put("city", "Test<city>");
        r.put("month", "2024-03");
        ObjectNode calls = r.putObject("calls");
        calls.put("answered", 10);
        calls.put("connection_rate_pct", new BigDecimal("90.91"));
        calls.putObject("by_caller_region").put("雨湖区", 10);
        calls.putObject("by_day")
                .putObject("2024-03-01")
                .put("offered", 11)
                .put("answered", 10)
                .put("connection_rate_pct", new BigDecimal("90.91"));
        ObjectNode t = r.putObject("tickets");
        t.put("valid", 4)
                .put("resolved_online", 3)
                .put("dispatched", 1)
                .put("dispatched_completed_on_time", 1)
                .put("callback_satisfaction_pct", new BigDecimal("50.00"));
        t.putObject("by_channel").put("phone", 4);
        t.putObject("by_request_type").put("help", 4);
        t.putObject("hotspot_categories").put(category, 4);
        t.putObject("hotspot_topics");
        t.putObject("tags");
        t.putObject("desks");
        return r;
    }

    @Test
    void namesFromTheDataAreShownAsText() {
        String unit = "<img src=x onerror=alert(1)>局";
        String category = "路灯 & <b>bold</b>";
        List<Assessment.Score> ranking = Assessment.rank(List.of(new Assessment.UnitMonth(
                unit,
                UnitGroup.DEPARTMENT,
                1,
                1,
                0,
                1,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                0,
                BigDecimal.TEN,
                BigDecimal.ONE,
                BigDecimal.ZERO)));
        com.fasterxml.jackson.databind.node.ArrayNode alerts = new ObjectMapper().createArrayNode();
        alerts.addObject()
                .put("rule", "backlog")
                .put("unit", unit)
                .putNull("category")
                .putNull("topic")
                .putNull("ticket_id")
                .put("severity", "critical")
                .put("state", "firing")
                .put("value", 21.0)
                .put("event_time", "2024-03-05T10:00:00+08:00");
        alerts.addObject()
                .put("rule", "backlog")
                .put("unit", unit)
                .put("severity", "critical")
                .put("state", "resolved")
                .put("value", 2.0)
                .put("event_time", "2024-03-09T10:00:00+08:00");
        Bulletin bulletin = new Bulletin(report(category), ranking, alerts);
        Document page = Jsoup.parse(bulletin.html());
        assertThat(page.select("img, b")).isEmpty();
        assertThat(page.select("#ranking td.unit").text()).isEqualTo(unit);
        assertThat(page.select("#hotspots td.label").text()).isEqualTo(category);
        assertThat(page.title()).contains("Test<city>");
        assertThat(page.select("#overview tr#calls-answered .change").text())
                .as("no previous month, no change")
                .isEmpty();
        assertThat(page.select("#alerts tr.critical td"))
                .extracting(org.jsoup.nodes.Element::text)
                .containsExactly("2024-03-05T10:00:00+08:00", "backlog", unit, "critical", "firing", "21");
        assertThat(bulletin.markdown())
                .contains("&lt;img src=x onerror=alert(1)&gt;局")
                .doesNotContain("<img");
    }
}
