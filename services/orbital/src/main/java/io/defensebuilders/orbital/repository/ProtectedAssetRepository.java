package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * Tenants' protected assets: Hibernate Reactive Panache, callers open the session or transaction
 * (docs/adr/0001-data-access.md). The screenings they start are SQL ({@link ScreeningRepository}).
 */
@ApplicationScoped
public class ProtectedAssetRepository implements PanacheRepositoryBase<ProtectedAssetEntity, ProtectedAssetEntity.Key> {

    /** A tenant's protected asset: NORAD id, name (the catalog's, else the tenant's overlay's), added by, added at. */
    public record ProtectedAsset(int noradId, String name, String addedBy, Instant addedAt) {
    }

    /**
     * Adds an asset, inserted at once: false when the tenant already protects it. A concurrent add of the same asset
     * fails here with a unique violation.
     */
    public Uni<Boolean> protect(String tenant, int noradId, String subject, Instant now) {
        return findById(new ProtectedAssetEntity.Key(tenant, noradId)).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(false);
            }
            ProtectedAssetEntity e = new ProtectedAssetEntity();
            e.tenant = tenant;
            e.noradId = noradId;
            e.addedBy = subject;
            e.addedAt = now;
            return persistAndFlush(e).replaceWith(true);
        });
    }

    /** False when the tenant did not protect it. */
    public Uni<Boolean> unprotect(String tenant, int noradId) {
        return deleteById(new ProtectedAssetEntity.Key(tenant, noradId));
    }

    /** A tenant's protected assets in NORAD id order. */
    public Uni<List<ProtectedAsset>> of(String tenant) {
        return getSession().chain(s -> s.createSelectionQuery("select p.noradId, coalesce(c.name, o.name), p.addedBy,"
                + " p.addedAt from ProtectedAssetEntity p join SharedName c on c.noradId = p.noradId"
                + " left join OverlayName o on o.tenant = p.tenant and o.noradId = p.noradId"
                + " where p.tenant = :tenant order by p.noradId", Object[].class)
                .setParameter("tenant", tenant).getResultList())
                .map(rows -> rows.stream().map(r -> new ProtectedAsset((Integer) r[0], (String) r[1], (String) r[2],
                        (Instant) r[3])).toList());
    }

    /** Every tenant with protected assets, and their NORAD ids in order. */
    public Uni<Map<String, List<Integer>>> byTenant() {
        return listAll(Sort.by("tenant").and("noradId")).map(all -> {
            Map<String, List<Integer>> out = new LinkedHashMap<>();
            all.forEach(a -> out.computeIfAbsent(a.tenant, t -> new ArrayList<>()).add(a.noradId));
            return out;
        });
    }
}
