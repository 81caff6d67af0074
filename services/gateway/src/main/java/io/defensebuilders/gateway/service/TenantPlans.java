package io.defensebuilders.gateway.service;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.Entitlements;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.repository.TenantRepository;
import io.defensebuilders.gateway.token.InternalTokens;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.grpc.Metadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Each tenant's rate-limit plan, read on every proxied call and kept in memory for {@code plan-cache-ttl}. The tenant
 * must be registered here (the row). For a tenant with a subscription, billing decides ({@code Entitlements.Check},
 * feature {@code api.rate-tier}, asked as the gateway's own platform-admin identity), its tier mapped through
 * {@code rate-tiers}; for one without, the plan a platform admin set on the tenant row. When billing does not answer
 * in time, is not deployed, or names a tier this gateway has no plan for, the row decides too, and a counter says so.
 */
@Singleton
public class TenantPlans {

    private static final Logger LOG = Logger.getLogger(TenantPlans.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    /** Who the gateway is when it asks other services about a tenant. */
    private static final Caller GATEWAY = new Caller("platform", "service:gateway",
            Set.of(Role.PLATFORM_ADMIN, Role.ADMIN, Role.PUBLISHER, Role.BUILDER, Role.VIEWER));

    private record Entry(String plan, long expires) {
    }

    private final Pool pool;
    private final TenantRepository tenants;
    private final Entitlements billing;
    private final InternalTokens tokens;
    private final GatewayConfig.Billing config;
    private final Set<String> plans;
    private final Counter fallbacks;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private volatile boolean billingAnswered = true;

    public TenantPlans(Pool pool, TenantRepository tenants, @GrpcClient("billing") Entitlements billing,
            InternalTokens tokens, GatewayConfig config, MeterRegistry meters) {
        this.pool = pool;
        this.tenants = tenants;
        this.billing = billing;
        this.tokens = tokens;
        this.config = config.billing();
        this.plans = config.plans().keySet();
        this.fallbacks = Counter.builder("dbp.gateway.plans.fallback")
                .description("plan lookups billing did not answer, decided by the tenant row").register(meters);
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
        if (hit != null && hit.expires() > System.currentTimeMillis()) {
            return Uni.createFrom().item(hit.plan());
        }
        return tenants.find(pool, tenant).chain(found -> {
            String rowPlan = found.map(t -> t.plan()).orElseThrow(() -> ProblemException.forbidden("tenant '" + tenant
                    + "' is not registered on this platform"));
            return fromBilling(tenant, rowPlan);
        }).map(plan -> {
            if (cache.size() > 50_000) {
                cache.clear();
            }
            cache.put(tenant, new Entry(plan, System.currentTimeMillis() + config.planCacheTtl().toMillis()));
            return plan;
        });
    }

    /** Forgets what is cached: the next call asks again. */
    public void forget(String tenant) {
        cache.remove(tenant);
    }

    private Uni<String> fromBilling(String tenant, String rowPlan) {
        if (!config.enabled()) {
            return Uni.createFrom().item(rowPlan);
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + tokens.forCall(GATEWAY, "plan-" + tenant));
        Duration timeout = config.timeout();
        return GrpcClientUtils.attachHeaders(billing, headers)
                .check(CheckRequest.newBuilder().setTenant(tenant).setFeature("api.rate-tier").build())
                .ifNoItem().after(timeout).fail()
                .map(answer -> {
                    if (!billingAnswered) {
                        billingAnswered = true;
                        LOG.info("billing answers plan lookups again");
                    }
                    if (!answer.getSubscribed()) {
                        return rowPlan;
                    }
                    String plan = config.rateTiers().get(answer.getRateTier());
                    if (plan == null || !plans.contains(plan)) {
                        LOG.warnf("billing names rate tier '%s' for tenant %s, which maps to no plan here; using '%s'",
                                answer.getRateTier(), tenant, rowPlan);
                        fallbacks.increment();
                        return rowPlan;
                    }
                    return plan;
                })
                .onFailure().recoverWithItem(e -> {
                    fallbacks.increment();
                    if (billingAnswered) {
                        billingAnswered = false;
                        LOG.warnf("billing did not answer a plan lookup (%s); tenant rows decide until it does",
                                e.toString());
                    }
                    return rowPlan;
                });
    }
}
