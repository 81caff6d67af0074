package io.defensebuilders.registry.blob;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.platform.blob.BlobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes blobs no version refers to: an upload whose database write failed or never happened (a crash between
 * the two) leaves one behind. Only blobs older than an hour are considered, so an upload in progress is never
 * mistaken for an orphan.
 */
@ApplicationScoped
public class BlobJanitor {

    private static final Logger LOG = Logger.getLogger(BlobJanitor.class);
    private static final Duration GRACE = Duration.ofHours(1);

    private final BlobStore blobs;
    private final Pool pool;
    private final Counter deleted;

    public BlobJanitor(BlobStore blobs, Pool pool, MeterRegistry meters) {
        this.blobs = blobs;
        this.pool = pool;
        this.deleted = Counter.builder("dbp.registry.blobs.orphans.deleted").register(meters);
    }

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int removed = deleteOrphans(Instant.now().minus(GRACE));
            if (removed > 0) {
                LOG.infof("deleted %d orphaned artifact blobs", removed);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("orphaned blob sweep failed, will retry: %s", e.toString());
        }
    }

    /** Deletes unreferenced blobs written before {@code cutoff}; answers how many. */
    public int deleteOrphans(Instant cutoff) throws IOException {
        List<String> candidates;
        try (Stream<String> keys = blobs.keysOlderThan(cutoff)) {
            candidates = keys.toList();
        }
        int removed = 0;
        for (int from = 0; from < candidates.size(); from += 500) {
            List<String> batch = candidates.subList(from, Math.min(candidates.size(), from + 500));
            var referenced = new java.util.HashSet<String>();
            pool.preparedQuery("SELECT artifact_key FROM sdk_version WHERE artifact_key = ANY($1)")
                    .execute(Tuple.of(batch.toArray(String[]::new))).await().atMost(Duration.ofSeconds(30))
                    .forEach(row -> referenced.add(row.getString(0)));
            for (String key : batch) {
                if (!referenced.contains(key)) {
                    blobs.delete(key);
                    deleted.increment();
                    removed++;
                }
            }
        }
        return removed;
    }
}
