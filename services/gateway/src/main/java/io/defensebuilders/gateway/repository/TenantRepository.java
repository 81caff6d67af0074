package io.defensebuilders.gateway.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.gateway.Tenant;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * Tenants (Hibernate Reactive Panache; callers open the session or transaction). The plan lookup behind a call stays
 * one SQL statement, in {@link IdentityReads}.
 */
@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<TenantEntity, String> {

    /** Inserts at once (not at commit), so that a taken id fails here with a unique violation. */
    public Uni<Void> insert(Tenant t) {
        return persistAndFlush(TenantEntity.of(t)).replaceWithVoid();
    }

    public Uni<Optional<Tenant>> byId(String id) {
        return findById(id).map(e -> Optional.ofNullable(e).map(TenantEntity::toTenant));
    }

    public Uni<List<Tenant>> all() {
        return listAll(Sort.by("id")).map(all -> all.stream().map(TenantEntity::toTenant).toList());
    }

    /**
     * Changes the name, the plan and the IdP's highest role (null keeps one), written at commit; false when there is
     * no such tenant.
     */
    public Uni<Boolean> change(String id, String name, String plan, String idpMaxRole) {
        return findById(id).map(e -> {
            if (e == null) {
                return false;
            }
            e.name = name == null ? e.name : name;
            e.plan = plan == null ? e.plan : plan;
            e.idpMaxRole = idpMaxRole == null ? e.idpMaxRole : idpMaxRole;
            return true;
        });
    }
}
