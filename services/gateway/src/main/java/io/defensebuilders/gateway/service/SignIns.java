package io.defensebuilders.gateway.service;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.SignIn;
import io.defensebuilders.gateway.repository.IdentityReads;
import io.defensebuilders.gateway.repository.SignInStore;
import io.defensebuilders.platform.auth.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Members just in time: a person whose identity-provider token names a tenant is a member of it for as long as their
 * tokens say so, with the roles their groups map to, lowered to the tenant's {@code idpMaxRole} (a group they leave
 * stops counting at their next token). Each such token is recorded once ({@link SignInStore}), beside the call and
 * never failing it, for the tenant's admins to see who signed in and when. The tenant's highest role is kept in memory
 * for 30 s; a change made on this replica applies at once, on the others within that.
 */
@ApplicationScoped
public class SignIns {

    private static final Logger LOG = Logger.getLogger(SignIns.class);
    /** Tokens remembered as recorded, per replica, before the memory starts again. */
    private static final int REMEMBERED = 100_000;

    private final Pool pool;
    private final IdentityReads reads;
    private final SignInStore store;
    private final RefreshingCache<Optional<String>> ceilings;
    /** (tenant, subject) to the last token recorded for them here (issued-at and roles). */
    private final Map<String, String> recorded = new ConcurrentHashMap<>();
    private final Counter failures;

    public SignIns(Pool pool, IdentityReads reads, SignInStore store, MeterRegistry meters) {
        this.pool = pool;
        this.reads = reads;
        this.store = store;
        this.ceilings = new RefreshingCache<>(this::lookup, e -> false,
                new RefreshingCache.Timing(30_000, 5_000, 300_000, 1_000), 50_000, System::currentTimeMillis);
        this.failures = Counter.builder("dbp.gateway.sign-ins.unrecorded")
                .description("sign-ins through an identity provider the database did not take (tried again at the"
                        + " person's next call)")
                .register(meters);
    }

    /** The highest role a token naming {@code tenant} grants there; empty when no such tenant is registered. */
    public Uni<Optional<String>> ceiling(String tenant) {
        return Uni.createFrom().completionStage(() -> ceilings.get(tenant).toCompletionStage());
    }

    /** Forgets the kept ceiling of {@code tenant}, after a change. */
    public void forget(String tenant) {
        ceilings.forget(tenant);
    }

    private Future<Optional<String>> lookup(String tenant) {
        return Future.fromCompletionStage(reads.tenant(pool, tenant).map(t -> t.map(found -> found.idpMaxRole()))
                .subscribeAsCompletionStage());
    }

    /**
     * {@code roles} from a token, each lowered to {@code ceiling} (a tenant role, or {@code none}: no tenant role).
     * The platform-admin role is not a tenant's to limit: it passes as the provider's configuration allows.
     */
    public static Set<Role> cap(Set<Role> roles, String ceiling) {
        Optional<Role> max = Role.fromClaim(ceiling);
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (Role role : roles) {
            if (role == Role.PLATFORM_ADMIN) {
                out.add(role);
            } else if (max.isPresent()) {
                out.add(role.includes(max.get()) ? max.get() : role);
            }
        }
        return out;
    }

    /** Records {@code signIn} unless this replica recorded the same token already; never fails, never waits. */
    public void record(SignIn signIn) {
        String key = signIn.tenant() + "\n" + signIn.subject();
        String token = signIn.lastTokenAt() + " " + signIn.roles();
        if (token.equals(recorded.get(key))) {
            return;
        }
        if (recorded.size() > REMEMBERED) {
            recorded.clear();
        }
        recorded.put(key, token);
        store.record(pool, signIn).subscribe().with(done -> {
        }, e -> {
            recorded.remove(key, token);
            failures.increment();
            LOG.debugf("sign-in of %s into %s not recorded: %s", signIn.subject(), signIn.tenant(), e.toString());
        });
    }

    /** The tenant's signed-in people, the most recent first; the tenant's admins only (others: 404 or 403). */
    public Uni<List<SignIn>> of(Caller caller, String tenant) {
        TenantAccess.requireAdminOf(caller, tenant);
        return store.ofTenant(pool, tenant);
    }
}
