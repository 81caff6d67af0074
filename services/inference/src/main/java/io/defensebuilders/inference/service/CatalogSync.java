package io.defensebuilders.inference.service;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Keeps this replica in line with the catalog: at start and every {@code dbp.inference.sync.every}, publishes the
 * platform's own models until they are ({@link PlatformModels}), loads the versions that should be held and drops the
 * rest, so a load or unload on one replica reaches them all.
 */
@ApplicationScoped
public class CatalogSync {

    private static final Logger LOG = Logger.getLogger(CatalogSync.class);

    private final ModelCatalog catalog;
    private final PlatformModels platformModels;
    private final AtomicBoolean synced = new AtomicBoolean();

    public CatalogSync(ModelCatalog catalog, PlatformModels platformModels) {
        this.catalog = catalog;
        this.platformModels = platformModels;
    }

    @Scheduled(every = "${dbp.inference.sync.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            platformModels.publish();
        } catch (RuntimeException e) {
            LOG.warnf("publishing the platform models failed (next try at the next interval): %s", e.getMessage());
        }
        try {
            catalog.sync();
            synced.set(true);
        } catch (RuntimeException e) {
            LOG.warnf("model catalog sync failed (next try at the next interval): %s", e.getMessage());
        }
    }

    /** Whether this replica has loaded the catalog at least once. */
    public boolean synced() {
        return synced.get();
    }
}
