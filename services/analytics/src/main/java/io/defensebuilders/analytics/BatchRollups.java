package io.defensebuilders.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollup deltas of one batch's new events: every event is added once to its minute, once to its hour and once
 * to its day. Keys are kept sorted so concurrent transactions lock rollup rows in the same order.
 */
public final class BatchRollups {

    /** One rollup row's identity. {@code dims} is canonical JSON (keys sorted). */
    public record Key(Instant bucket, String tenant, String type, String dims) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::tenant).thenComparing(Key::bucket)
                .thenComparing(Key::type).thenComparing(Key::dims);
    }

    /** A delta: events and value sum to add. */
    public static final class Delta {
        long events;
        BigDecimal valueSum = BigDecimal.ZERO;

        public long events() {
            return events;
        }

        public BigDecimal valueSum() {
            return valueSum;
        }
    }

    private final Map<Granularity, Map<Key, Delta>> deltas = new TreeMap<>();

    public BatchRollups() {
        for (Granularity g : Granularity.values()) {
            deltas.put(g, new TreeMap<>(Key.ORDER));
        }
    }

    public void add(AnalyticsEvent e, String dimsJson) {
        for (Granularity g : Granularity.values()) {
            Delta d = deltas.get(g).computeIfAbsent(new Key(g.bucket(e.time()), e.tenant(), e.type(), dimsJson),
                    k -> new Delta());
            d.events++;
            if (e.value() != null) {
                d.valueSum = d.valueSum.add(e.value());
            }
        }
    }

    public Map<Key, Delta> of(Granularity g) {
        return deltas.get(g);
    }

    public List<Granularity> granularities() {
        return List.of(Granularity.values());
    }
}
