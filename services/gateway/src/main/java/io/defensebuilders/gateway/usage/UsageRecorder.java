package io.defensebuilders.gateway.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * One {@code usage.v1} event (meter {@code api.call}) per proxied call, handed to the Kafka producer without waiting:
 * the producer batches them off the request path (linger, compression) and flushes what it holds when the
 * application shuts down gracefully. A full buffer (Kafka away for long) drops events, counted.
 */
@ApplicationScoped
public class UsageRecorder {

    /** The gateway's own channel to usage.v1, with a buffer sized for its request rate. */
    public static final String CHANNEL = "dbp-usage";
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String SOURCE = "/services/gateway";

    private final MutinyEmitter<String> emitter;
    private final CloudEventCodec codec;
    private final boolean enabled;
    private final Counter dropped;

    public UsageRecorder(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 100_000)
    MutinyEmitter<String> emitter, CloudEventCodec codec, GatewayConfig config, MeterRegistry meters) {
        this.emitter = emitter;
        this.codec = codec;
        this.enabled = config.usage().enabled();
        this.dropped = Counter.builder("dbp.gateway.usage.dropped").description("usage events that could not be sent")
                .register(meters);
    }

    public void apiCall(String tenant, String subject, String route, String method, int status, long bytesIn,
            long bytesOut, String requestId, Instant at) {
        if (!enabled) {
            return;
        }
        UsageV1 data = new UsageV1(tenant, UsageV1.API_CALL, BigDecimal.ONE, subject, at, Map.of("route", route,
                "method", method, "status", Integer.toString(status), "bytesIn", Long.toString(bytesIn), "bytesOut",
                Long.toString(bytesOut), "requestId", requestId));
        // a fresh id (the request id may come from the client and repeat); the producer's retries reuse the record
        CloudEvent<UsageV1> event = CloudEvent.of(UUID.randomUUID().toString(), SOURCE, UsageV1.TYPE, tenant, route, at,
                data);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(Topics.USAGE_V1).withKey(tenant).withHeaders(headers).build();
        try {
            emitter.sendMessageAndForget(Message.of(codec.encode(event)).addMetadata(metadata));
        } catch (RuntimeException e) {
            dropped.increment();
            LOG.debugf("usage event dropped: %s", e.toString());
        }
    }
}
