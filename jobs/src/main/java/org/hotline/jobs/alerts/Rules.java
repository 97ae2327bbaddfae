package org.hotline.jobs.alerts;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keeps one rule's level for the current key and reports its changes. */
abstract class Rules<I> extends KeyedProcessFunction<String, I, Alert> {
    static final long HOUR = 3_600_000L;
    static final TypeInformation<long[]> LONGS = PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    final AlertRules rules;
    transient MapState<String, String> levels;

    Rules(AlertRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext ctx) {
        levels = getRuntimeContext().getMapState(new MapStateDescriptor<>("alert-levels", Types.STRING, Types.STRING));
    }

    /** Evaluates {@code rule} with {@code value}; returns the alert to send, or null. */
    Alert evaluate(String rule, Hysteresis thresholds, double value, long time, Alert.Subject about) throws Exception {
        return evaluate(rule, thresholds, value, time, about, () -> null);
    }

    /** What an alert names of what its value counts, worked out only when an alert is sent. */
    @FunctionalInterface
    interface Detail {
        String get() throws Exception;
    }

    /** The same, with what the value counts named in the alert. */
    Alert evaluate(String rule, Hysteresis thresholds, double value, long time, Alert.Subject about, Detail detail)
            throws Exception {
        String stored = levels.get(rule);
        Hysteresis.Level current = stored == null ? Hysteresis.Level.NONE : Hysteresis.Level.valueOf(stored);
        Hysteresis.Step step = thresholds.next(current, value);
        if (step.state() == null) {
            return null;
        }
        levels.put(rule, step.level().name());
        Hysteresis.Level reported = step.level() == Hysteresis.Level.NONE ? current : step.level();
        return Alert.of(
                rule,
                about,
                Hysteresis.severity(reported),
                step.state(),
                value,
                thresholds.threshold(reported),
                time,
                detail.get());
    }

    static void emit(Alert a, Collector<Alert> out) {
        if (a != null) {
            out.collect(a);
        }
    }
}
