package io.defensebuilders.registry.service;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.platform.redis.GuardedRedis;
import io.defensebuilders.registry.config.RegistryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * Read-through Redis cache of {@link VersionIndex} per SDK name. Writers evict after their transaction commits, and
 * once more a moment later, which closes the window in which a reader that loaded the old state just before the
 * commit could put it back. Redis being down or hung only costs speed: every command is bounded and skipped while
 * Redis does not answer ({@link GuardedRedis}), the database answers instead, and an eviction made then is sent when
 * Redis answers again, before anything is read from it.
 */
@ApplicationScoped
public class VersionIndexCache {

    private static final Logger LOG = Logger.getLogger(VersionIndexCache.class);
    private static final String PREFIX = "dbp:sdk-registry:index:";
    private static final Duration SECOND_EVICTION = Duration.ofMillis(500);

    private final GuardedRedis redis;
    private final ObjectMapper mapper;
    private final boolean enabled;
    private final Duration ttl;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;

    public VersionIndexCache(GuardedRedis redis, ObjectMapper mapper, RegistryConfig config, MeterRegistry meters) {
        this.redis = redis;
        this.mapper = mapper;
        this.enabled = config.resolveCache().enabled();
        this.ttl = config.resolveCache().ttl();
        this.hits = Counter.builder("dbp.registry.index.cache").tag("result", "hit").register(meters);
        this.misses = Counter.builder("dbp.registry.index.cache").tag("result", "miss").register(meters);
        this.errors = Counter.builder("dbp.registry.index.cache").tag("result", "error").register(meters);
    }

    /** The cached index of {@code name}, else {@code loader}'s answer (cached when present). */
    public Uni<Optional<VersionIndex>> get(String name, Supplier<Uni<Optional<VersionIndex>>> loader) {
        if (!enabled) {
            return loader.get();
        }
        return redis.sendUni(Request.cmd(Command.GET).arg(PREFIX + name)).map(r -> r == null ? null : r.toString())
                .onFailure().recoverWithItem(e -> {
                    errors.increment();
                    LOG.debugf("index cache read failed, using the database: %s", e.toString());
                    return null;
                })
                .chain(json -> {
                    VersionIndex cached = json == null ? null : decode(json);
                    if (cached != null) {
                        hits.increment();
                        return Uni.createFrom().item(Optional.of(cached));
                    }
                    misses.increment();
                    return loader.get().call(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                            : redis.sendUni(Request.cmd(Command.SETEX).arg(PREFIX + name).arg(ttl.toSeconds())
                                    .arg(encode(found.get())))
                                    .onFailure().invoke(e -> errors.increment())
                                    .onFailure().recoverWithNull());
                });
    }

    /** Drops the cached index of {@code name} now and again shortly after. */
    public Uni<Void> evict(String name) {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> delete = redis.writeUni(Request.cmd(Command.DEL).arg(PREFIX + name)).replaceWithVoid()
                .onFailure().invoke(e -> errors.increment()).onFailure().recoverWithNull();
        Uni.createFrom().voidItem().onItem().delayIt().by(SECOND_EVICTION).chain(() -> delete).subscribe()
                .with(ignored -> {
                }, failure -> LOG.debugf("second eviction failed: %s", failure.toString()));
        return delete;
    }

    private VersionIndex decode(String json) {
        try {
            return mapper.readValue(json, VersionIndex.class);
        } catch (JsonProcessingException e) {
            return null; // an index written by an older release; reload it
        }
    }

    private String encode(VersionIndex index) {
        try {
            return mapper.writeValueAsString(index);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
