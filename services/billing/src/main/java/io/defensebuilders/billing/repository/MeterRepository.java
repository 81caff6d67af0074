package io.defensebuilders.billing.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * The meter catalog, live meters only (retired ones keep their rows for the aggregates that point at them):
 * Hibernate Reactive Panache, callers open the session or transaction. SQL use cases read a meter through
 * {@link MeterReads}.
 */
@ApplicationScoped
public class MeterRepository implements PanacheRepositoryBase<MeterEntity, Long> {

    private static final String LIVE_KEY = "meterKey = ?1 and deletedAt is null";

    /** Inserts at once (not at commit): a live meter with the key fails here with a unique violation. */
    public Uni<Meter> insert(String key, String description, String eventMeter, Aggregation aggregation,
            String valueProperty, List<String> groupBy) {
        MeterEntity e = new MeterEntity();
        e.meterKey = key;
        e.description = description;
        e.eventMeter = eventMeter;
        e.aggregation = aggregation;
        e.valueProperty = valueProperty;
        e.groupBy = groupBy.toArray(String[]::new);
        e.createdAt = now();
        e.updatedAt = e.createdAt;
        return persistAndFlush(e).map(MeterEntity::toMeter);
    }

    public Uni<List<Meter>> live() {
        return list("deletedAt is null", Sort.by("meterKey")).map(all -> all.stream().map(MeterEntity::toMeter).toList());
    }

    public Uni<Optional<Meter>> live(String key) {
        return find(LIVE_KEY, key).firstResult().map(e -> Optional.ofNullable(e).map(MeterEntity::toMeter));
    }

    /** The live meter, its row locked for the rest of the transaction. */
    public Uni<Optional<Meter>> liveForUpdate(String key) {
        return find(LIVE_KEY, key).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .map(e -> Optional.ofNullable(e).map(MeterEntity::toMeter));
    }

    /** Changes what may change of a meter read in this transaction; answers the meter as stored. */
    public Uni<Meter> change(long id, String description, List<String> groupBy) {
        return findById(id).invoke(e -> {
            e.description = description;
            e.groupBy = groupBy.toArray(String[]::new);
            e.updatedAt = now();
        }).call(this::flush).map(MeterEntity::toMeter);
    }

    /** Retires the live meter with the key, freeing the key; false when there is none. */
    public Uni<Boolean> retire(String key) {
        return find(LIVE_KEY, key).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult().map(e -> {
            if (e == null) {
                return false;
            }
            e.deletedAt = now();
            e.updatedAt = e.deletedAt;
            return true;
        });
    }

    /** As PostgreSQL keeps it: microseconds. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
