package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one batch adds to the aggregates, folded in memory so the database sees one row per bucket and one
 * set-based statement per table. Keys are kept sorted: every writer then locks bucket rows in the same order,
 * so two consumers that briefly share a partition during a rebalance wait for each other instead of deadlocking.
 */
public final class BatchAggregates {

    /** A minute bucket: meter, tenant, UTC minute, group-by values as canonical JSON. */
    public record BucketKey(long meterId, String tenant, Instant minute, String groupValues) implements Comparable<BucketKey> {

        private static final Comparator<BucketKey> ORDER = Comparator.comparingLong(BucketKey::meterId)
                .thenComparing(BucketKey::tenant).thenComparing(BucketKey::minute).thenComparing(BucketKey::groupValues);

        @Override
        public int compareTo(BucketKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** The fold of one bucket's new events. */
    public static final class Bucket {
        long count;
        BigDecimal sum;
        BigDecimal max;
        BigDecimal latestValue;
        Instant latestTime;
        String latestSource;
        String latestId;

        public long count() {
            return count;
        }

        public BigDecimal sum() {
            return sum;
        }

        public BigDecimal max() {
            return max;
        }

        public BigDecimal latestValue() {
            return latestValue;
        }

        public Instant latestTime() {
            return latestTime;
        }

        public String latestSource() {
            return latestSource;
        }

        public String latestId() {
            return latestId;
        }
    }

    /** One distinct value of a UNIQUE_COUNT meter in one bucket. */
    public record Distinct(long meterId, String tenant, Instant minute, String groupValues, String value)
            implements
                Comparable<Distinct> {

        private static final Comparator<Distinct> ORDER = Comparator.comparingLong(Distinct::meterId)
                .thenComparing(Distinct::tenant).thenComparing(Distinct::minute).thenComparing(Distinct::groupValues)
                .thenComparing(Distinct::value);

        @Override
        public int compareTo(Distinct o) {
            return ORDER.compare(this, o);
        }
    }

    private final SortedMap<BucketKey, Bucket> buckets = new TreeMap<>();
    private final SortedSet<Distinct> distincts = new TreeSet<>();

    /** Adds one new event's contribution to one meter. */
    public void add(UsageEvent event, MeterSet.Contribution c) {
        long meterId = c.meter().id();
        Instant minute = event.minute();
        Bucket b = buckets.computeIfAbsent(new BucketKey(meterId, event.tenant(), minute, c.groupValues()),
                k -> new Bucket());
        b.count++;
        if (c.number() != null) {
            BigDecimal v = c.number();
            b.sum = b.sum == null ? v : b.sum.add(v);
            b.max = b.max == null || v.compareTo(b.max) > 0 ? v : b.max;
            if (b.latestTime == null || later(event.occurredAt(), event.source(), event.id(), b.latestTime,
                    b.latestSource, b.latestId)) {
                b.latestValue = v;
                b.latestTime = event.occurredAt();
                b.latestSource = event.source();
                b.latestId = event.id();
            }
        }
        if (c.distinct() != null) {
            distincts.add(new Distinct(meterId, event.tenant(), minute, c.groupValues(), c.distinct()));
        }
    }

    public SortedMap<BucketKey, Bucket> buckets() {
        return buckets;
    }

    public SortedSet<Distinct> distincts() {
        return distincts;
    }

    /**
     * Whether (time, source, id) comes after the other: later time first, then the greater source and id in code
     * point order, which is the byte order of their UTF-8 form, as the {@code COLLATE "C"} columns compare them.
     */
    static boolean later(Instant time, String source, String id, Instant otherTime, String otherSource, String otherId) {
        int c = time.compareTo(otherTime);
        if (c == 0) {
            c = compareCodePoints(source, otherSource);
        }
        if (c == 0) {
            c = compareCodePoints(id, otherId);
        }
        return c > 0;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
