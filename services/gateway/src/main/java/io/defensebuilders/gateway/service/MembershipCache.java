package io.defensebuilders.gateway.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.repository.MemberRepository;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A human's tenant memberships, read on every request of an IdP-authenticated caller: cached in Redis for a minute
 * and evicted when an admin changes them, so role changes apply on the next request.
 */
@ApplicationScoped
public class MembershipCache {

    private static final String PREFIX = "dbp:gateway:members:";
    private static final Duration TTL = Duration.ofMinutes(1);

    /** One membership: tenant and role. */
    public record Membership(String tenant, String role) {
        public Role parsedRole() {
            return Role.fromClaim(role).orElse(Role.VIEWER);
        }
    }

    private final Pool pool;
    private final MemberRepository members;
    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper mapper;

    public MembershipCache(Pool pool, MemberRepository members, ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.pool = pool;
        this.members = members;
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.mapper = mapper;
    }

    public Uni<List<Membership>> of(String subject) {
        return values.get(PREFIX + subject).onFailure().recoverWithNull().chain(json -> {
            if (json != null) {
                try {
                    return Uni.createFrom().item(mapper.readValue(json, new TypeReference<List<Membership>>() {
                    }));
                } catch (JsonProcessingException e) {
                    // fall through to the database
                }
            }
            return members.ofSubject(pool, subject)
                    .map(list -> list.stream().map(m -> new Membership(m.tenantId(), m.role().claimValue())).toList())
                    .call(list -> values.setex(PREFIX + subject, TTL.toSeconds(), encode(list)).onFailure().recoverWithNull());
        });
    }

    public Uni<Void> evict(String subject) {
        return redis.key(String.class).del(PREFIX + subject).onFailure().recoverWithNull().replaceWithVoid();
    }

    private String encode(List<Membership> list) {
        try {
            return mapper.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
