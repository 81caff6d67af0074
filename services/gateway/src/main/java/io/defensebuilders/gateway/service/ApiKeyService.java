package io.defensebuilders.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.repository.ApiKeyRepository;
import io.defensebuilders.gateway.repository.TenantRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * API keys: issuing (the secret is returned once and never stored), listing, revoking, and verifying a presented key
 * on every request. Verification reads through a Redis cache shared by every gateway replica. Revocation overwrites
 * the cached entry with a tombstone and cache fills only ever write where nothing is ({@code SET NX}), so a fill that
 * raced with the revocation cannot bring the key back: a revoked key fails on the very next request.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final String CACHE = "dbp:gateway:apikey:";
    private static final Duration CACHE_TTL = Duration.ofMinutes(5);
    private static final String TOMBSTONE = "revoked";

    /** A key just issued: the stored key and the one-time token. */
    public record Issued(ApiKey key, String token) {
    }

    private final Pool pool;
    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper mapper;

    public ApiKeyService(Pool pool, ApiKeyRepository keys, TenantRepository tenants, ReactiveRedisDataSource redis,
            ObjectMapper mapper) {
        this.pool = pool;
        this.keys = keys;
        this.tenants = tenants;
        this.values = redis.value(String.class, String.class);
        this.mapper = mapper;
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
        ApiKeyCodec.Issued issued = ApiKeyCodec.issue();
        ApiKey key = new ApiKey(issued.id(), tenant, name, new LinkedHashSet<>(java.util.EnumSet.copyOf(roles)), issued.hash(), by, Instant.now(),
                expiresAt, null);
        return pool.withTransaction(tx -> tenants.find(tx, tenant)
                .invoke(found -> found.orElseThrow(() -> ProblemException.notFound("no tenant '" + tenant + "'")))
                .chain(() -> keys.insert(tx, key)))
                .replaceWith(new Issued(key, issued.token()));
    }

    public Uni<List<ApiKey>> list(Caller caller, String tenant) {
        String target = tenant == null ? caller.tenant() : tenant;
        TenantAccess.requireAdminOf(caller, target);
        return keys.ofTenant(pool, target);
    }

    @WithSpan
    public Uni<Void> revoke(Caller caller, String id) {
        return keys.find(pool, id).chain(found -> {
            ApiKey key = found.filter(k -> TenantAccess.canAdminister(caller, k.tenantId()))
                    .orElseThrow(() -> ProblemException.notFound("no API key '" + id + "'"));
            // idempotent: revoking again rewrites the tombstone, which is what a retry after a Redis failure needs
            return pool.withTransaction(tx -> keys.revoke(tx, key.tenantId(), id, caller.subject(), Instant.now()))
                    .chain(() -> values.setex(CACHE + id, CACHE_TTL.toSeconds(), TOMBSTONE))
                    .onFailure(e -> !(e instanceof ProblemException)).transform(e -> new ProblemException(
                            ProblemType.UNAVAILABLE, "the key is revoked in the database but the shared cache could not"
                                    + " be updated; retry the revocation"))
                    .replaceWithVoid();
        });
    }

    /** The key a presented token stands for, when it is genuine, unexpired and unrevoked. */
    public Uni<Optional<ApiKey>> verify(String token) {
        Optional<ApiKeyCodec.Presented> presented = ApiKeyCodec.parse(token);
        if (presented.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        ApiKeyCodec.Presented p = presented.get();
        return cached(p.id())
                .chain(hit -> hit.isPresent() ? Uni.createFrom().item(hit) : keys.find(pool, p.id()).call(this::cache))
                .map(found -> found.filter(k -> ApiKeyCodec.matches(p, k.secretHash()))
                        .filter(k -> k.usableAt(Instant.now())));
    }

    private Uni<Optional<ApiKey>> cached(String id) {
        return values.get(CACHE + id).map(json -> Optional.ofNullable(json).map(this::decode))
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("API key cache unavailable, reading the database: %s", e.toString());
                    return Optional.empty();
                });
    }

    private Uni<Void> cache(Optional<ApiKey> key) {
        if (key.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return values.set(CACHE + key.get().id(), encode(key.get()), new SetArgs().nx().ex(CACHE_TTL))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private String encode(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("tenant", k.tenantId());
        m.put("roles", k.roles().stream().map(Role::claimValue).toList());
        m.put("hash", Base64.getEncoder().encodeToString(k.secretHash()));
        m.put("expiresAt", k.expiresAt() == null ? null : k.expiresAt().toString());
        m.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
        try {
            return mapper.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private ApiKey decode(String json) {
        if (TOMBSTONE.equals(json)) {
            return new ApiKey(null, null, null, Set.of(), new byte[0], null, null, null, Instant.EPOCH);
        }
        try {
            Map<String, Object> m = mapper.readValue(json, Map.class);
            Set<Role> roles = new LinkedHashSet<>();
            ((List<String>) m.get("roles")).forEach(r -> Role.fromClaim(r).ifPresent(roles::add));
            return new ApiKey((String) m.get("id"), (String) m.get("tenant"), null, roles,
                    Base64.getDecoder().decode((String) m.get("hash")), null, null,
                    m.get("expiresAt") == null ? null : Instant.parse((String) m.get("expiresAt")),
                    m.get("revokedAt") == null ? null : Instant.parse((String) m.get("revokedAt")));
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
