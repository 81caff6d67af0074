package io.defensebuilders.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.config.RedisClients;
import io.defensebuilders.gateway.repository.ApiKeyRepository;
import io.defensebuilders.gateway.repository.IdentityReads;
import io.defensebuilders.gateway.repository.TenantRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.defensebuilders.platform.redis.GuardedRedis;
import io.defensebuilders.platform.redis.RedisGuardConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * API keys: issuing (the secret is returned once and never stored), listing, revoking, and verifying a presented key
 * on every request. Verification reads a one-second in-process cache (refreshed in the background before it runs
 * out, so a busy key does not wait), then a Redis cache shared by every gateway replica, then the database.
 * Revocation evicts the key here, overwrites the shared entry with a tombstone (cache fills only write where nothing
 * is, {@code SET NX}, so a racing fill cannot bring the key back) and tells every replica over Redis pub/sub to evict
 * it too: a revoked key fails on the next request on this replica, and within the pub/sub delivery time
 * (milliseconds; one second at worst, if a replica missed the message) on the others.
 * <p>
 * Redis only makes this faster: every command is bounded and skipped while Redis does not answer
 * ({@link GuardedRedis}), and the database answers instead. A revocation made then is refused at once by this replica
 * (and by any that reads the database); its tombstone and message are sent when Redis answers again, before this
 * replica reads Redis again. The revocation waits for that up to {@code dbp.redis.write-wait} (a stall under load
 * ends in a 204); past it, it answers 503 and a retry confirms.
 */
@Singleton
@io.quarkus.runtime.Startup
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final String CACHE = "dbp:gateway:apikey:";
    private static final Duration CACHE_TTL = Duration.ofMinutes(5);
    private static final String TOMBSTONE = "revoked";
    private static final String REVOCATIONS = "dbp:gateway:apikey-revocations";
    /**
     * Each key as this replica last read it (empty when unknown or revoked): fresh for one second, read again in the
     * background during its last quarter, so calls of a busy key do not wait for Redis; never used once older.
     */
    private static final RefreshingCache.Timing LOCAL = new RefreshingCache.Timing(1000, 250, 0, 250);

    private final RefreshingCache<Optional<ApiKey>> local;

    /** A key just issued: the stored key and the one-time token. */
    public record Issued(ApiKey key, String token) {
    }

    private final Pool pool;
    private final ApiKeyRepository keys;
    private final IdentityReads reads;
    private final TenantRepository tenants;
    private final GuardedRedis redis;
    private final Duration writeWait;

    public ApiKeyService(Pool pool, ApiKeyRepository keys, IdentityReads reads, TenantRepository tenants,
            RedisClients clients,
            RedisGuardConfig guard, ReactiveRedisDataSource subscriber) {
        this.redis = clients.shared();
        this.writeWait = guard.writeWait();
        // every replica drops a revoked key from its in-process cache as soon as any replica revokes it
        this.local = new RefreshingCache<>(this::lookup, e -> false, LOCAL, 100_000, System::currentTimeMillis);
        subscriber.pubsub(String.class).subscribe(REVOCATIONS).subscribe().with(id -> local.forget(id),
                e -> LOG.warnf("API key revocation channel failed: %s", e.toString()));
        this.pool = pool;
        this.keys = keys;
        this.reads = reads;
        this.tenants = tenants;
    }

    @WithSpan
    public Uni<Issued> create(Caller caller, String tenant, String name, Set<Role> roles, Instant expiresAt) {
        String target = tenant == null ? caller.tenant() : tenant;
        TenantAccess.requireAdminOf(caller, target);
        for (Role role : roles) {
            if (!caller.has(role)) {
                return Uni.createFrom().failure(ProblemException.invalid("roles",
                        "a key cannot hold '" + role.claimValue() + "': you do not hold it yourself"));
            }
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            return Uni.createFrom().failure(ProblemException.invalid("expiresAt", "must be in the future"));
        }
        return issue(target, name, roles.isEmpty() ? Set.of(Role.VIEWER) : roles, expiresAt, caller.subject());
    }

    /** Issues without an authorisation check: for the bootstrap, which has no caller yet. */
    Uni<Issued> issue(String tenant, String name, Set<Role> roles, Instant expiresAt, String by) {
        return issue(tenant, name, roles, expiresAt, by, ApiKeyCodec.issue());
    }

    /** Stores {@code issued} (a key made elsewhere, e.g. the bootstrap key of a Helm install) without a check. */
    Uni<Issued> issue(String tenant, String name, Set<Role> roles, Instant expiresAt, String by, ApiKeyCodec.Issued issued) {
        ApiKey key = new ApiKey(issued.id(), tenant, name, new LinkedHashSet<>(java.util.EnumSet.copyOf(roles)), issued.hash(),
                by, Instant.now(),
                expiresAt, null);
        return Panache.withTransaction(() -> tenants.byId(tenant)
                .invoke(found -> found.orElseThrow(() -> ProblemException.notFound("no tenant '" + tenant + "'")))
                .chain(() -> keys.insert(key)))
                .replaceWith(new Issued(key, issued.token()));
    }

    public Uni<List<ApiKey>> list(Caller caller, String tenant) {
        String target = tenant == null ? caller.tenant() : tenant;
        TenantAccess.requireAdminOf(caller, target);
        return Panache.withSession(() -> keys.ofTenant(target));
    }

    @WithSpan
    public Uni<Void> revoke(Caller caller, String id) {
        // idempotent: revoking again rewrites the tombstone, which is what a retry after a Redis failure needs
        Request tombstone = Request.cmd(Command.SETEX).arg(CACHE + id).arg(CACHE_TTL.toSeconds()).arg(TOMBSTONE);
        Request revoked = Request.cmd(Command.PUBLISH).arg(REVOCATIONS).arg(id);
        return Panache.withTransaction(() -> keys.byIdForUpdate(id)
                .map(found -> found.filter(k -> TenantAccess.canAdminister(caller, k.tenantId()))
                        .orElseThrow(() -> ProblemException.notFound("no API key '" + id + "'")))
                .call(() -> keys.markRevoked(id, caller.subject(), Instant.now())))
                .invoke(() -> local.forget(id))
                .chain(() -> redis.writeUni(tombstone)
                        .chain(() -> redis.writeUni(revoked))
                        .onFailure().recoverWithUni(e -> {
                            if (GuardedRedis.isAnswer(e)) {
                                return Uni.createFrom().failure(redisDidNotTake(e));
                            }
                            // the tombstone waits for Redis to answer again; the message must follow it then, and
                            // both are sent before Redis is used again: a short stall is waited out
                            redis.write(revoked);
                            return redis.whenAvailableUni(writeWait).replaceWith((Response) null)
                                    .onFailure().transform(ApiKeyService::redisDidNotTake);
                        })
                        // again: a read of this replica that began before the tombstone must not bring the key back
                        .eventually(() -> local.forget(id)))
                .replaceWithVoid();
    }

    private static ProblemException redisDidNotTake(Throwable cause) {
        return new ProblemException(ProblemType.UNAVAILABLE, "the key is revoked in the database and refused by this"
                + " gateway replica, but Redis did not answer: the other replicas learn of it when it does; retry the"
                + " revocation to confirm");
    }

    /**
     * The key a presented token stands for, when it is genuine, unexpired and unrevoked, as a Vert.x future for the
     * proxy's hot path: usually answered from this replica's memory; otherwise the shared Redis cache, then the
     * database.
     */
    public io.vertx.core.Future<Optional<ApiKey>> verifyFuture(String token) {
        return ApiKeyCodec.parse(token).map(this::verifyFuture)
                .orElseGet(() -> io.vertx.core.Future.succeededFuture(Optional.empty()));
    }

    /** As {@link #verifyFuture(String)}, for a token the caller has parsed already. */
    public io.vertx.core.Future<Optional<ApiKey>> verifyFuture(ApiKeyCodec.Presented p) {
        return local.get(p.id()).map(found -> found.flatMap(k -> usable(p, k)));
    }

    /** The key with this id as Redis or else the database has it; empty when unknown or revoked (a tombstone). */
    private io.vertx.core.Future<Optional<ApiKey>> lookup(String id) {
        return redis.send(Request.cmd(Command.GET).arg(CACHE + id))
                .map(r -> r == null ? null : decode(r.toString()))
                .otherwise(e -> {
                    LOG.debugf("API key cache unavailable, reading the database: %s", e.toString());
                    return null;
                })
                .compose(hit -> hit != null ? io.vertx.core.Future.succeededFuture(Optional.of(hit))
                        : io.vertx.core.Future.fromCompletionStage(reads.apiKey(pool, id).call(this::cache)
                                .subscribeAsCompletionStage()))
                .map(found -> found.filter(k -> k.id() != null));
    }

    private static Optional<ApiKey> usable(ApiKeyCodec.Presented p, ApiKey k) {
        return Optional.of(k).filter(key -> ApiKeyCodec.matches(p, key.secretHash()))
                .filter(key -> key.usableAt(Instant.now()));
    }

    /** As {@link #verifyFuture}, for the security framework. */
    public Uni<Optional<ApiKey>> verify(String token) {
        return Uni.createFrom().completionStage(() -> verifyFuture(token).toCompletionStage());
    }

    private Uni<Void> cache(Optional<ApiKey> key) {
        if (key.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return redis.sendUni(Request.cmd(Command.SET).arg(CACHE + key.get().id()).arg(encode(key.get())).arg("NX")
                .arg("EX").arg(CACHE_TTL.toSeconds())).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** tenant, roles, hash, expiry and revocation in one tab-separated line: cheap to read on every call. */
    private static String encode(ApiKey k) {
        return String.join("\t", k.id(), k.tenantId(),
                k.roles().stream().map(Role::claimValue).collect(java.util.stream.Collectors.joining(",")),
                Base64.getEncoder().encodeToString(k.secretHash()),
                k.expiresAt() == null ? "-" : Long.toString(k.expiresAt().toEpochMilli()),
                k.revokedAt() == null ? "-" : Long.toString(k.revokedAt().toEpochMilli()));
    }

    private static ApiKey decode(String value) {
        if (TOMBSTONE.equals(value)) {
            return new ApiKey(null, null, null, Set.of(), new byte[0], null, null, null, Instant.EPOCH);
        }
        String[] f = value.split("\t", -1);
        if (f.length != 6) {
            return null; // written by another release: read the database
        }
        Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        for (String r : f[2].split(",")) {
            Role.fromClaim(r).ifPresent(roles::add);
        }
        return new ApiKey(f[0], f[1], null, roles, Base64.getDecoder().decode(f[3]), null, null,
                f[4].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[4])),
                f[5].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[5])));
    }
}
