package io.defensebuilders.platform.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.platform.metrics.SqlGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes outbox rows to Kafka in commit order and deletes them once the broker has acknowledged them. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so several replicas share the work without publishing a row twice
 * at the same time; a failed send rolls back and the rows go out on the next tick.
 */
@ApplicationScoped
public class OutboxRelay {

    /** The one outgoing channel every service publishes through; the topic is set per record. */
    public static final String CHANNEL = "dbp-events";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final int batchSize;
    private final Counter published;
    private final Duration interval;
    private final boolean enabled;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Consecutive failed relays: each doubles the wait before the next, up to {@link #MAX_BACKOFF_MILLIS}. */
    private int failures;
    private long resumeAt;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private Vertx vertx;
    private long timer;
    private long gaugeTimer;
    private final MeterRegistry meters;
    private final Duration gaugeInterval;

    public OutboxRelay(Pool pool, @Channel(CHANNEL) MutinyEmitter<String> emitter,
            @ConfigProperty(name = "dbp.outbox.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "dbp.outbox.interval", defaultValue = "200ms") Duration interval,
            @ConfigProperty(name = "dbp.outbox.relay.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "dbp.metrics.poll-interval", defaultValue = "15s") Duration gaugeInterval,
            MeterRegistry meters) {
        this.meters = meters;
        this.gaugeInterval = gaugeInterval;
        this.interval = interval;
        this.enabled = enabled;
        this.pool = pool;
        this.emitter = emitter;
        this.batchSize = batchSize;
        this.published = Counter.builder("dbp.outbox.published").description("events relayed from the outbox to Kafka")
                .register(meters);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        if (!enabled) {
            // a service that never writes an outbox (dbp.outbox.relay.enabled=false) does not poll an empty table
            return;
        }
        // the Quarkus scheduler's resolution is one second; events should leave sooner than that
        timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
        this.vertx = vertx;
        // what has not left yet: DbpOutboxBacklog fires when the oldest event waits for minutes (Kafka refuses, or
        // the relay is stuck); the count stops at 100,000 so that a huge backlog costs a bounded query
        gaugeTimer = new SqlGauges(meters, "SELECT (SELECT count(*) FROM (SELECT 1 FROM event_outbox LIMIT 100000) b)"
                + " AS backlog, COALESCE(EXTRACT(EPOCH FROM now() - (SELECT created_at FROM event_outbox ORDER BY seq"
                + " LIMIT 1)), 0) AS oldest",
                Map.of("backlog", Map.entry("dbp.outbox.backlog", "events written but not yet relayed to Kafka"),
                        "oldest", Map.entry("dbp.outbox.oldest.age.seconds",
                                "how long the oldest event not yet relayed has waited, seconds (0: none)")))
                .start(vertx, pool, gaugeInterval);
    }

    void stop(@Observes ShutdownEvent event) {
        if (vertx != null) {
            vertx.cancelTimer(timer);
            vertx.cancelTimer(gaugeTimer);
        }
    }

    /** Whether this service relays its outbox (it polls the table every {@code dbp.outbox.interval}). */
    public boolean relaying() {
        return vertx != null;
    }

    /** Relays batches until the outbox is empty; a tick that finds a relay already running does nothing. */
    void tick() {
        if (System.currentTimeMillis() < resumeAt || !running.compareAndSet(false, true)) {
            return;
        }
        relayBatch().subscribe().with(count -> {
            if (failures > 0) {
                LOG.infof("outbox relay works again after %d failed attempts", failures);
                failures = 0;
                resumeAt = 0;
            }
            running.set(false);
            if (count == batchSize) {
                tick();
            }
        }, failure -> {
            // the database or Kafka cannot take the batch now: one line per outage, and ever longer waits
            if (failures++ == 0) {
                LOG.warnf("outbox relay failed, retrying with backoff until it works: %s", failure.toString());
            }
            resumeAt = System.currentTimeMillis()
                    + Math.min(MAX_BACKOFF_MILLIS, interval.toMillis() << Math.min(failures, 10));
            running.set(false);
        });
    }

    /** Publishes one batch; the number of events it published. */
    public Uni<Integer> relayBatch() {
        return pool.withTransaction(tx -> tx
                .preparedQuery("SELECT seq, topic, record_key, payload FROM event_outbox ORDER BY seq LIMIT $1"
                        + " FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(batchSize))
                .onItem().transformToUni(rows -> {
                    List<Long> sequences = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        sequences.add(row.getLong("seq"));
                        sends.add(send(row.getString("topic"), row.getString("record_key"), row.getString("payload")));
                    }
                    if (sends.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .chain(() -> delete(tx, sequences))
                            .invoke(() -> published.increment(sequences.size()))
                            .replaceWith(sequences.size());
                }));
    }

    private Uni<Void> send(String topic, String key, String payload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        // the writer's trace goes on in the consumers (ConsumerSpans): the event's traceparent as the W3C header, and
        // as the parent of the Kafka connector's own publish span, whose context the connector puts in the header
        String traceparent = traceparent(payload);
        Message<String> message = Message.of(payload);
        if (traceparent != null) {
            headers.add(ConsumerSpans.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
            message = message.addMetadata(TracingMetadata.withCurrent(ConsumerSpans.context(traceparent)));
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(topic).withKey(key).withHeaders(headers).build();
        return emitter.sendMessage(message.addMetadata(metadata));
    }

    /** The structured event's {@code traceparent} attribute, if it has one. */
    static String traceparent(String payload) {
        try (JsonParser parser = JSON_FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (ConsumerSpans.TRACEPARENT.equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    private static Uni<Void> delete(SqlConnection tx, List<Long> sequences) {
        return tx.preparedQuery("DELETE FROM event_outbox WHERE seq = ANY($1)")
                .execute(Tuple.of(sequences.toArray(Long[]::new))).replaceWithVoid();
    }
}
