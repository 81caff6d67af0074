package io.defensebuilders.platform.events;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.WithDefault;

/** The settings every {@link BatchConsumerLoop} has; a service's ingest config mapping extends it. */
public interface ConsumerLoopConfig {

    /** Whether this replica consumes (the service's API works either way). */
    @WithDefault("true")
    boolean enabled();

    /** Most records taken per poll, i.e. per database transaction. */
    @WithDefault("2000")
    @Min(1)
    @Max(100000)
    int maxPollRecords();

    /** How long a poll waits for records. */
    @WithDefault("500ms")
    Duration pollTimeout();

    /** Longest pause between retries of a batch whose transaction failed (database away). */
    @WithDefault("5s")
    Duration maxBackoff();

    /** Extra Kafka consumer properties (e.g. {@code fetch.min.bytes}); they override the defaults. */
    Map<String, String> kafka();
}
