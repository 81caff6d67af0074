package io.defensebuilders.registry.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.defensebuilders.registry.Sdk;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * SDK metadata: creation and changes (Hibernate Reactive Panache; callers open the transaction). Reads by name on the
 * hot path and what version writes do to the SDK row stay in explicit SQL, in {@link SdkRowRepository}.
 */
@ApplicationScoped
public class SdkRepository implements PanacheRepositoryBase<SdkEntity, UUID> {

    /** Inserts at once (not at commit), so that a taken name fails here with a unique violation. */
    public Uni<Void> insert(Sdk s) {
        return persistAndFlush(SdkEntity.of(s)).replaceWithVoid();
    }

    /** The SDK, its row locked for the rest of the transaction (as version writes lock it). */
    public Uni<Optional<Sdk>> findByNameForUpdate(String name) {
        return find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .map(e -> Optional.ofNullable(e).map(SdkEntity::toSdk));
    }

    /** Replaces the mutable metadata of a row loaded in this transaction; answers the SDK as stored. */
    public Uni<Sdk> updateMetadata(Sdk s) {
        return findById(s.id()).invoke(e -> e.setMetadata(s)).call(this::flush).map(SdkEntity::toSdk);
    }
}
