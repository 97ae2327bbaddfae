package org.hotline.jobs.alerts;

import java.util.Comparator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.hotline.jobs.tickets.Fact;

/** A rule over a ticket's facts: each counts at its time; the same time's facts in the order of their content. */
abstract class FactRules extends OrderedRules<Fact> {
    FactRules(AlertRules rules) {
        super(rules, TypeInformation.of(Fact.class));
    }

    @Override
    long timeOf(Fact f) {
        return f.timeMs();
    }

    @Override
    Comparator<Fact> tieOrder() {
        return Comparator.comparing(Fact::kind)
                .thenComparingInt(Fact::sign)
                .thenComparing(Fact::dimension)
                .thenComparing(Fact::value);
    }
}
