package io.defensebuilders.gateway.service;

import java.time.Duration;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.Entitlements;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.repository.IdentityReads;
import io.defensebuilders.gateway.token.InternalTokens;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.grpc.Metadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Each tenant's rate-limit plan, read on every proxied call, kept in memory and looked up again in the background
 * once older than {@code plan-cache-ttl}. The tenant must be registered here (the row). For a tenant with a
 * subscription, billing decides ({@code Entitlements.Check}, feature {@code api.rate-tier}, asked as the gateway's own
 * platform-admin identity), its tier mapped through {@code rate-tiers}; for one without, the plan a platform admin
 * set on the tenant row. When billing does not answer in time, is not deployed, or names a tier this gateway has no
 * plan for, the row decides too, and a counter says so.
 */
@Singleton
public class TenantPlans {

    private static final Logger LOG = Logger.getLogger(TenantPlans.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    /** Who the gateway is when it asks other services about a tenant. */
    private static final Caller GATEWAY = new Caller("platform", "service:gateway",
            Set.of(Role.PLATFORM_ADMIN, Role.ADMIN, Role.PUBLISHER, Role.BUILDER, Role.VIEWER));

    private final Pool pool;
    private final IdentityReads reads;
    private final Entitlements billing;
    private final InternalTokens tokens;
    private final GatewayConfig.Billing config;
    private final Set<String> plans;
    private final Counter fallbacks;
    private final RefreshingCache<String> cache;
    private volatile boolean billingAnswered = true;

    public TenantPlans(Pool pool, IdentityReads reads, @GrpcClient("billing") Entitlements billing,
            InternalTokens tokens, GatewayConfig config, MeterRegistry meters) {
        this.pool = pool;
        this.reads = reads;
        this.billing = billing;
        this.tokens = tokens;
        this.config = config.billing();
        this.plans = config.plans().keySet();
        this.fallbacks = Counter.builder("dbp.gateway.plans.fallback")
                .description("plan lookups billing did not answer, decided by the tenant row").register(meters);
        // a known plan is answered however old, while a lookup replaces it; a tenant that is gone (403) is forgotten;
        // a lookup that failed otherwise (the database did not answer: a 503) keeps the plan and is tried again a
        // second later
        this.cache = new RefreshingCache<>(this::lookup, e -> e instanceof ProblemException p && p.status() == 403,
                new RefreshingCache.Timing(this.config.planCacheTtl().toMillis(), 0, Long.MAX_VALUE / 4, 1000), 50_000,
                System::currentTimeMillis);
    }

    /**
     * The tenant's plan; fails with 403 when the tenant is not registered here (e.g. an IdP names an unknown one).
     * Only a tenant's first call waits for the lookup; after that the plan is answered from memory and refreshed in
     * the background (see {@link RefreshingCache}), so neither a slow billing nor the database adds to a call.
     */
    public Future<String> planOfFuture(String tenant) {
        return cache.get(tenant);
    }

    /** Forgets what is kept for {@code tenant}: its next call looks the plan up again. */
    public void forget(String tenant) {
        cache.forget(tenant);
    }

    private Future<String> lookup(String tenant) {
        return Future.fromCompletionStage(reads.tenant(pool, tenant).chain(found -> {
            String rowPlan = found.map(t -> t.plan()).orElseThrow(() -> ProblemException.forbidden("tenant '" + tenant
                    + "' is not registered on this platform"));
            return fromBilling(tenant, rowPlan);
        }).subscribeAsCompletionStage());
    }

    private Uni<String> fromBilling(String tenant, String rowPlan) {
        if (!config.enabled()) {
            return Uni.createFrom().item(rowPlan);
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, tokens.authorization(GATEWAY, "plan-" + tenant));
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
