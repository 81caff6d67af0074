package io.defensebuilders.platform.events;

/**
 * The (source, id) pair that identifies a CloudEvent, and so what a deduplication ledger remembers. Ordered, so that a
 * batch inserts its ledger rows in one order and two concurrent batches with common keys wait for each other instead
 * of deadlocking.
 */
public record EventKey(String source, String id) implements Comparable<EventKey> {

    @Override
    public int compareTo(EventKey o) {
        int c = source.compareTo(o.source);
        return c != 0 ? c : id.compareTo(o.id);
    }
}
