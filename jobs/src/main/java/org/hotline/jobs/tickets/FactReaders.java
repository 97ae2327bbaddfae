package org.hotline.jobs.tickets;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Hands each fact of the tickets' lives to the operators that read it, in one look: the counted facts (all but a
 * ticket's due times) on the main output, and each alert rule's facts on an output of their own. Chained to the
 * lifecycle, it takes the place of a filter per reader, each of which every fact passed through.
 */
public final class FactReaders extends ProcessFunction<Fact, Fact> {

    public static final TypeInformation<Fact> TYPE = TypeInformation.of(Fact.class);
    /** A unit's facts: its backlog, overdue tickets. */
    public static final OutputTag<Fact> UNIT = new OutputTag<>("unit-facts", TYPE) {};
    /** A ticket's due times, for the due-soon warnings (not counted). */
    public static final OutputTag<Fact> DUE = new OutputTag<>("due-facts", TYPE) {};
    /** Returns per unit and category. */
    public static final OutputTag<Fact> RETURNS = new OutputTag<>("returns-facts", TYPE) {};
    /** New tickets per category and topic, for emerging hotspots. */
    public static final OutputTag<Fact> HOTSPOTS = new OutputTag<>("hotspot-facts", TYPE) {};

    @Override
    public void processElement(Fact f, Context ctx, Collector<Fact> counted) {
        String d = f.dimension();
        switch (d) {
            case TicketLife.DUE -> {
                ctx.output(DUE, f);
                return;
            }
            case TicketLife.UNIT -> ctx.output(UNIT, f);
            case TicketLife.UNIT_CATEGORY -> ctx.output(RETURNS, f);
            case "category", "topic" -> {
                if (f.kind() == FactKind.CREATED) {
                    ctx.output(HOTSPOTS, f);
                }
            }
            default -> {}
        }
        counted.collect(f);
    }
}
