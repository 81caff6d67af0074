package io.defensebuilders.billing.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.pricing.Charge;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * The plan catalog: versions inserted and listed with Hibernate Reactive Panache, callers open the session or
 * transaction. Subscriptions and invoicing read plans in their SQL transactions through {@link PlanReads}.
 */
@ApplicationScoped
public class PlanRepository implements PanacheRepositoryBase<PlanEntity, Long> {

    private final PlanReads reads;

    public PlanRepository(PlanReads reads) {
        this.reads = reads;
    }

    /**
     * Inserts version {@code version} of {@code key} (1 when new) at once: fails with a unique violation when a
     * concurrent writer inserted it first.
     */
    public Uni<Plan> insertVersion(String key, int version, String name, String description, String currency,
            boolean custom, List<Charge> charges, Map<String, Object> limits, String createdBy) {
        PlanEntity e = new PlanEntity();
        e.planKey = key;
        e.version = version;
        e.name = name;
        e.description = description;
        e.currency = currency;
        e.custom = custom;
        e.charges = reads.write(charges);
        e.limits = reads.write(limits);
        e.createdBy = createdBy;
        e.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return persistAndFlush(e).map(this::plan);
    }

    /** The latest version of every plan, by key. */
    public Uni<List<Plan>> listLatest() {
        return list("from PlanEntity p where p.version = (select max(q.version) from PlanEntity q"
                + " where q.planKey = p.planKey) order by p.planKey").map(all -> all.stream().map(this::plan).toList());
    }

    public Uni<Optional<Plan>> latest(String key) {
        return find("planKey", Sort.descending("version"), key).firstResult()
                .map(e -> Optional.ofNullable(e).map(this::plan));
    }

    private Plan plan(PlanEntity e) {
        return reads.plan(e.id, e.planKey, e.version, e.name, e.description, e.currency, e.custom, e.charges, e.limits,
                e.createdAt);
    }
}
