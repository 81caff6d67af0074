package io.defensebuilders.platform.redis;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long a service waits for its Redis ({@code dbp.redis.*}); see {@link GuardedRedis}. */
@ConfigMapping(prefix = "dbp.redis")
public interface RedisGuardConfig {

    /** Longest wait for any Redis command; past it the caller falls back and the client is left alone. */
    @WithDefault("50ms")
    Duration timeout();

    /** How often a client that did not answer is probed (PING, same timeout) until it answers and is used again. */
    @WithDefault("1s")
    Duration retry();

    /**
     * How long a write that must land before the caller is answered (an API-key revocation) waits for a client that
     * stopped answering to answer again: a stall shorter than this ends in the write being sent, a longer one in a
     * 503. A few probe intervals, so a stall under load is ridden out.
     */
    @WithDefault("3s")
    Duration writeWait();
}
