package io.defensebuilders.inference.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.billing.v1.CheckRequest;
import io.defensebuilders.contracts.billing.v1.CheckResponse;
import io.defensebuilders.contracts.billing.v1.EntitlementsGrpc;
import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.grpc.OnBehalf;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;

/**
 * The plan's {@code inferenceCallsPerMonth}: billing's {@code Entitlements.Check} for {@code inference.calls}, asked
 * with the caller's own token. Asking billing on every call would put a network round trip on the hot path, so each
 * answer is a grant held for {@code dbp.inference.billing.grant-ttl}: the calls billing said remain (this one
 * included) are spent locally, further calls are refused until the grant expires, and billing is asked again. Billing
 * counts usage from the metered events, which reach it a moment after the calls, so a replica's grant can only
 * overlap calls billing has not counted yet when the usage pipeline lags by more than a grant's time.
 *
 * <p>
 * Platform admins (the platform's operators and its own services' calls) are not on a plan and are not counted.
 * When billing does not answer within {@code timeout}, {@code fail-open} decides: true serves the tenant for one
 * grant's time without a limit (counted in {@code dbp.inference.plan.unchecked}), false answers 503.
 */
@ApplicationScoped
public class CallAllowance {

    public static final String FEATURE = "inference.calls";
    private static final Logger LOG = Logger.getLogger(CallAllowance.class);

    /** What billing allowed a tenant, until {@code expires} (System.nanoTime). */
    private record Grant(boolean unlimited, long calls, CheckResponse answer, long expires, AtomicLong spent) {

        boolean fresh() {
            return System.nanoTime() - expires < 0;
        }
    }

    private final EntitlementsGrpc.EntitlementsBlockingStub billing;
    private final InferenceConfig.Billing config;
    private final MeterRegistry metrics;
    private final ConcurrentHashMap<String, Slot> grants = new ConcurrentHashMap<>();

    /** A tenant's grant; one question to billing per tenant at a time, other tenants' calls never wait on it. */
    private final class Slot {
        private volatile Grant grant;

        Grant current(String bearerToken) {
            Grant held = grant;
            if (held != null && held.fresh()) {
                return held;
            }
            synchronized (this) {
                if (grant == null || !grant.fresh()) {
                    grant = ask(bearerToken);
                }
                return grant;
            }
        }
    }

    public CallAllowance(@GrpcClient("billing") EntitlementsGrpc.EntitlementsBlockingStub billing,
            InferenceConfig config, MeterRegistry metrics) {
        this.billing = billing;
        this.config = config.billing();
        this.metrics = metrics;
    }

    /**
     * Takes one call from the caller's tenant's allowance: a 429 when the plan's limit is reached, a 503 when billing
     * cannot say and {@code fail-open} is false. A call taken and then not answered is given back with
     * {@link #giveBack}.
     */
    public void take(Caller caller, String bearerToken) {
        if (!config.enabled() || caller.has(Role.PLATFORM_ADMIN)) {
            return;
        }
        Grant grant = grants.computeIfAbsent(caller.tenant(), t -> new Slot()).current(bearerToken);
        if (grant.unlimited()) {
            return;
        }
        if (grant.spent().incrementAndGet() > grant.calls()) {
            grant.spent().decrementAndGet();
            CheckResponse a = grant.answer();
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the " + a.getPlan() + " plan allows "
                    + a.getLimit() + " inference calls a month and this tenant has used them"
                    + (a.getReason().isEmpty() ? "" : " (" + a.getReason() + ")"))
                    .with("limit", a.getLimit()).with("plan", a.getPlan());
        }
    }

    /** Gives back a call taken for a request that was then refused or failed (it is not metered). */
    public void giveBack(Caller caller) {
        Slot slot = config.enabled() && !caller.has(Role.PLATFORM_ADMIN) ? grants.get(caller.tenant()) : null;
        Grant grant = slot == null ? null : slot.grant;
        if (grant != null && !grant.unlimited()) {
            grant.spent().updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    private Grant ask(String bearerToken) {
        long expires = System.nanoTime() + config.grantTtl().toNanos();
        CheckResponse answer;
        try {
            answer = OnBehalf.of(billing, bearerToken, config.timeout())
                    .check(CheckRequest.newBuilder().setFeature(FEATURE).setQuantity(1).build());
        } catch (StatusRuntimeException e) {
            metrics.counter("dbp.inference.plan.unchecked").increment();
            if (config.failOpen()) {
                LOG.warnf("billing did not answer the plan check (%s): serving without it for %s", e.getStatus(),
                        config.grantTtl());
                return new Grant(true, 0, CheckResponse.getDefaultInstance(), expires, new AtomicLong());
            }
            throw new ProblemException(ProblemType.UNAVAILABLE,
                    "the plan's inference call limit cannot be checked now: billing answered " + e.getStatus().getCode());
        }
        // allowed for quantity 1: this call and `remaining` more; not allowed: none until billing says otherwise
        long calls = answer.getUnlimited() ? 0 : answer.getAllowed() ? answer.getRemaining() + 1 : 0;
        return new Grant(answer.getUnlimited(), calls, answer, expires, new AtomicLong());
    }
}
