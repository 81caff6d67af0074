package io.defensebuilders.billing.service;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.billing.config.BillingConfig;
import io.defensebuilders.billing.repository.MeteringStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Forgets ledger entries older than the deduplication retention, in bounded batches (each its own short
 * transaction), so the purge never holds many locks nor competes long with the ingest transactions.
 */
@ApplicationScoped
public class DedupPurge {

    private static final Logger LOG = Logger.getLogger(DedupPurge.class);

    private final DataSource dataSource;
    private final MeteringStore store;
    private final BillingConfig.Dedup config;
    private final Counter purged;

    public DedupPurge(DataSource dataSource, MeteringStore store, BillingConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.store = store;
        this.config = config.dedup();
        this.purged = Counter.builder("dbp.billing.dedup.purged").description("ledger entries forgotten after the retention")
                .register(registry);
    }

    @Scheduled(identity = "billing-dedup-purge", every = "${dbp.billing.dedup.purge-every:10m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            purge();
        } catch (SQLException e) {
            LOG.warnf("dedup purge failed, next run retries: %s", e.toString());
        }
    }

    /** Runs one purge: batches until a batch comes back short or the per-run limit is reached. */
    public long purge() throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (int i = 0; i < config.purgeMaxBatches(); i++) {
                int deleted = store.purgeBatch(c, config.retentionDays(), config.purgeBatchSize());
                total += deleted;
                purged.increment(deleted);
                if (deleted < config.purgeBatchSize()) {
                    break;
                }
            }
        }
        if (total > 0) {
            LOG.infof("dedup purge forgot %d events received more than %d days ago", total, config.retentionDays());
        }
        return total;
    }
}
