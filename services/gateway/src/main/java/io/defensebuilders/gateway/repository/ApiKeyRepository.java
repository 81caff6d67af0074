package io.defensebuilders.gateway.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.defensebuilders.gateway.ApiKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * API keys: hashes and metadata only, never a secret (Hibernate Reactive Panache; callers open the session or
 * transaction). The lookup behind a call that presents a key stays one SQL statement, in {@link IdentityReads}.
 */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, String> {

    public Uni<Void> insert(ApiKey k) {
        return persistAndFlush(ApiKeyEntity.of(k)).replaceWithVoid();
    }

    /** The key, its row locked for the rest of the transaction. */
    public Uni<Optional<ApiKey>> byIdForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE).map(e -> Optional.ofNullable(e).map(ApiKeyEntity::toApiKey));
    }

    public Uni<List<ApiKey>> ofTenant(String tenantId) {
        return list("tenantId", Sort.by("createdAt"), tenantId)
                .map(all -> all.stream().map(ApiKeyEntity::toApiKey).toList());
    }

    /** Marks a key read in this transaction revoked, written at commit; a key revoked before keeps its first time. */
    public Uni<Void> markRevoked(String id, String by, Instant at) {
        return findById(id).invoke(e -> {
            if (e != null && e.revokedAt == null) {
                e.revokedAt = at;
                e.revokedBy = by;
            }
        }).replaceWithVoid();
    }
}
