package io.defensebuilders.gateway.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.gateway.repository.TenantRepository;
import io.defensebuilders.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Each tenant's rate-limit plan, read on every proxied call: kept in memory for 30 seconds. (Billing will answer
 * this over gRPC once it exists; the plan column is the stand-in source until then.)
 */
@ApplicationScoped
public class TenantPlans {

    private static final long TTL_MILLIS = 30_000;

    private record Entry(String plan, long expires) {
    }

    private final Pool pool;
    private final TenantRepository tenants;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public TenantPlans(Pool pool, TenantRepository tenants) {
        this.pool = pool;
        this.tenants = tenants;
    }

    /** As {@link #planOf}, as a Vert.x future: answered from memory without any reactive machinery on a hit. */
    public io.vertx.core.Future<String> planOfFuture(String tenant) {
        Entry hit = cache.get(tenant);
        if (hit != null && hit.expires() > System.currentTimeMillis()) {
            return io.vertx.core.Future.succeededFuture(hit.plan());
        }
        return io.vertx.core.Future.fromCompletionStage(planOf(tenant).subscribeAsCompletionStage());
    }

    /** The tenant's plan; 403 when the tenant is not registered here (e.g. an IdP names an unknown one). */
    public Uni<String> planOf(String tenant) {
        Entry hit = cache.get(tenant);
        long now = System.currentTimeMillis();
        if (hit != null && hit.expires() > now) {
            return Uni.createFrom().item(hit.plan());
        }
        return tenants.find(pool, tenant).map(found -> {
            String plan = found.map(t -> t.plan()).orElseThrow(() -> ProblemException.forbidden("tenant '" + tenant
                    + "' is not registered on this platform"));
            if (cache.size() > 50_000) {
                cache.clear();
            }
            cache.put(tenant, new Entry(plan, now + TTL_MILLIS));
            return plan;
        });
    }
}
