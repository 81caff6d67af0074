package io.defensebuilders.platform.redis;

/** A Redis command that was not sent, or not answered in time: the caller falls back as without Redis. */
public final class RedisUnavailableException extends RuntimeException {

    private final String detail;

    public RedisUnavailableException(String client, String detail) {
        super("Redis client '" + client + "' " + detail, null, false, false);
        this.detail = detail;
    }

    /** What happened, without the client's name. */
    public String detail() {
        return detail;
    }
}
