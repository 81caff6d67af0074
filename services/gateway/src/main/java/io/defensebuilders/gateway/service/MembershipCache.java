package io.defensebuilders.gateway.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.config.RedisClients;
import io.defensebuilders.gateway.repository.IdentityReads;
import io.defensebuilders.platform.redis.GuardedRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * A human's tenant memberships, read on every request of an IdP-authenticated caller: cached in Redis for a minute
 * and evicted when an admin changes them, so role changes apply on the next request. While Redis does not answer
 * ({@link GuardedRedis}) the database answers; an eviction made then is sent when Redis answers again.
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
    private final IdentityReads reads;
    private final GuardedRedis redis;
    private final ObjectMapper mapper;

    public MembershipCache(Pool pool, IdentityReads reads, RedisClients redis, ObjectMapper mapper) {
        this.pool = pool;
        this.reads = reads;
        this.redis = redis.shared();
        this.mapper = mapper;
    }

    public Uni<List<Membership>> of(String subject) {
        Uni<String> cached = redis.sendUni(Request.cmd(Command.GET).arg(PREFIX + subject))
                .map(r -> r == null ? null : r.toString()).onFailure().recoverWithNull();
        return cached.chain(json -> {
            if (json != null) {
                try {
                    return Uni.createFrom().item(mapper.readValue(json, new TypeReference<List<Membership>>() {
                    }));
                } catch (JsonProcessingException e) {
                    // fall through to the database
                }
            }
            return reads.membershipsOf(pool, subject)
                    .map(list -> list.stream().map(m -> new Membership(m.tenantId(), m.role().claimValue())).toList())
                    .call(list -> redis.sendUni(Request.cmd(Command.SETEX).arg(PREFIX + subject).arg(TTL.toSeconds())
                            .arg(encode(list))).onFailure().recoverWithNull());
        });
    }

    public Uni<Void> evict(String subject) {
        return redis.writeUni(Request.cmd(Command.DEL).arg(PREFIX + subject)).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private String encode(List<Membership> list) {
        try {
            return mapper.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
