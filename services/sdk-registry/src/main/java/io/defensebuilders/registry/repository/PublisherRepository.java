package io.defensebuilders.registry.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.registry.Publisher;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Publishers, by name and by tenant (Hibernate Reactive Panache; callers open the session or transaction). */
@ApplicationScoped
public class PublisherRepository implements PanacheRepositoryBase<PublisherEntity, UUID> {

    /** Inserts at once (not at commit), so that a taken name fails here with a unique violation. */
    public Uni<Void> insert(Publisher p) {
        return persistAndFlush(PublisherEntity.of(p)).replaceWithVoid();
    }

    public Uni<Optional<Publisher>> findByName(String name) {
        return find("name", name).firstResult().map(e -> Optional.ofNullable(e).map(PublisherEntity::toPublisher));
    }

    public Uni<List<Publisher>> listByTenant(String tenant) {
        return list("tenant", Sort.by("name"), tenant)
                .map(all -> all.stream().map(PublisherEntity::toPublisher).toList());
    }
}
