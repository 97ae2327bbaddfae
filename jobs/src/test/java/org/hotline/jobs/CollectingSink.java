package org.hotline.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** An in-memory sink for jobs run on a MiniCluster in this JVM. */
public final class CollectingSink<T> implements Sink<T> {

    private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();
    private final String id = UUID.randomUUID().toString();

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> out = RESULTS.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()));
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                out.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    @SuppressWarnings("unchecked")
    public List<T> results() {
        synchronized (RESULTS.getOrDefault(id, List.of())) {
            return (List<T>) List.copyOf(RESULTS.getOrDefault(id, List.of()));
        }
    }
}
