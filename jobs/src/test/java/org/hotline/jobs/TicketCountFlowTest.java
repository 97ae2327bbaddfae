package org.hotline.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hotline.events.Reason;
import org.hotline.jobs.tickets.FactKind;
import org.hotline.jobs.tickets.SliceFacts;
import org.junit.jupiter.api.Test;

class TicketCountFlowTest {

    /** A fact kept aside as late is a dead letter whose payload is JSON saying its slice, time and counts. */
    @Test
    void aLateFactIsKeptAsJsonNamingItsCounts() throws Exception {
        long[] counts = new long[FactKind.values().length];
        counts[FactKind.COMPLETED.ordinal()] = 1;
        counts[FactKind.CLOSED.ordinal()] = -2;
        DeadLetter d = TicketCountFlow.lateFact(new SliceFacts("tag", "a \"quoted\" tag", 60_000L, counts));
        JsonNode payload = new ObjectMapper().readTree(d.payload());
        assertThat(payload.get("dimension").asText()).isEqualTo("tag");
        assertThat(payload.get("value").asText()).isEqualTo("a \"quoted\" tag");
        assertThat(payload.get("time_ms").asLong()).isEqualTo(60_000L);
        assertThat(payload.get("counts").toString()).isEqualTo("{\"completed\":1,\"closed\":-2}");
        assertThat(d.reason()).isEqualTo(Reason.LATE.code());
    }
}
