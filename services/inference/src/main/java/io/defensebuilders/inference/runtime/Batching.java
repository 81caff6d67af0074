package io.defensebuilders.inference.runtime;

import java.time.Duration;

import io.defensebuilders.inference.config.InferenceConfig;

/**
 * A model version's own dynamic batching, as Triton's per-model {@code dynamic_batching}: chosen at upload and, like
 * the version, immutable. A null part takes the service's {@code dbp.inference.runtime.batching.*}. A model whose
 * compute is a few microseconds gains nothing from waiting for company; a text encoder of milliseconds per row runs
 * several rows in little more than one row's time.
 *
 * @param maxBatchSize most rows one merged run takes; 1 turns batching off for this version
 * @param maxQueueDelayMicros how long the first call of a batch waits for others to join it
 */
public record Batching(Integer maxBatchSize, Integer maxQueueDelayMicros) {

    /** The service's settings for both. */
    public static final Batching DEFAULT = new Batching(null, null);
    /** The largest batch a version may ask for. */
    public static final int MAX_BATCH_SIZE = 1024;
    /** The longest a version may make a call wait for company: one second. */
    public static final int MAX_QUEUE_DELAY_MICROS = 1_000_000;

    /** This version's settings with the service's filled in where it has none. */
    public Batching effective(InferenceConfig.Runtime.Batching service) {
        return new Batching(maxBatchSize != null ? maxBatchSize : Math.max(1, service.maxBatchSize()),
                maxQueueDelayMicros != null ? maxQueueDelayMicros
                        : (int) Math.min(MAX_QUEUE_DELAY_MICROS, Math.max(0, service.maxQueueDelay().toNanos() / 1000)));
    }

    /** The queue delay of {@link #effective effective} settings. */
    public Duration maxQueueDelay() {
        return Duration.ofNanos(maxQueueDelayMicros * 1000L);
    }
}
