package io.defensebuilders.orbital.alerts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.defensebuilders.contracts.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Fans orbital alerts out to the WebSocket clients that asked for them. Every replica reads
 * {@code orbital.maneuvers.v1}, {@code orbital.conjunctions.v1} and {@code orbital.ccdm.v1} from the newest offset in
 * a consumer group of its own (a broadcast: each replica serves its own connections), and sends each alert to the
 * connections subscribed to one of its objects. Maneuvers and CCDM assessments of the shared catalog are for every
 * tenant; those made from a tenant's private overlay (their event source ends in {@code /tenants/<tenant>}) and a
 * conjunction (the tenant whose screening found it) reach only that tenant's connections.
 */
@ApplicationScoped
@Named(AlertHub.REBALANCE_LISTENER)
public class AlertHub implements KafkaConsumerRebalanceListener {

    /** The incoming channel (mp.messaging.incoming.orbital-alerts.*). */
    public static final String CHANNEL = "orbital-alerts";
    public static final String REBALANCE_LISTENER = "orbital-alerts-rebalance";
    private static final Logger LOG = Logger.getLogger(AlertHub.class);

    /** Kinds of alert, as clients name them. */
    public enum Kind {
        MANEUVER,
        CONJUNCTION,
        CCDM
    }

    /** One connection's subscription. */
    static final class Subscription {
        final WebSocketConnection connection;
        final String tenant;
        final Set<Integer> objects = ConcurrentHashMap.newKeySet();
        final Set<Kind> kinds;
        final AtomicInteger pending = new AtomicInteger();

        Subscription(WebSocketConnection connection, String tenant, Set<Kind> kinds) {
            this.connection = connection;
            this.tenant = tenant;
            this.kinds = kinds;
        }
    }

    /** Sends a connection has not finished before more are dropped (a slow client loses alerts, not the server). */
    static final int MAX_PENDING = 256;

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicBoolean assigned = new AtomicBoolean();
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    private final String privateSource;

    public AlertHub(ObjectMapper json, MeterRegistry metrics, io.defensebuilders.orbital.config.OrbitalConfig config) {
        this.privateSource = config.eventSource() + io.defensebuilders.orbital.service.OrbitalEvents.PRIVATE_SOURCE;
        this.json = json;
        this.metrics = metrics;
        metrics.gaugeMapSize("dbp.orbital.alerts.connections", List.of(), subscriptions);
    }

    void open(WebSocketConnection connection, String tenant, Set<Kind> kinds, Collection<Integer> objects) {
        Subscription s = new Subscription(connection, tenant, kinds);
        s.objects.addAll(objects);
        subscriptions.put(connection.id(), s);
    }

    void close(WebSocketConnection connection) {
        subscriptions.remove(connection.id());
    }

    /** The objects the connection is subscribed to after the change. */
    Set<Integer> change(WebSocketConnection connection, Collection<Integer> add, Collection<Integer> remove, int max) {
        Subscription s = subscriptions.get(connection.id());
        if (s == null) {
            return Set.of();
        }
        s.objects.removeAll(remove);
        if (s.objects.size() + add.stream().filter(id -> !s.objects.contains(id)).count() > max) {
            throw new IllegalArgumentException("a connection follows at most " + max + " objects");
        }
        s.objects.addAll(add);
        return Set.copyOf(s.objects);
    }

    /** True once this replica's alert consumer has its partitions: alerts produced from then on are delivered. */
    public boolean assigned() {
        return assigned.get();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.set(true);
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<String> message) {
        try {
            String topic = message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getTopic)
                    .orElse("");
            deliver(topic, message.getPayload());
        } catch (RuntimeException e) {
            LOG.debugf("alert not delivered: %s", e.getMessage()); // a malformed event is nobody's alert
        }
        return message.ack();
    }

    void deliver(String topic, String record) {
        if (subscriptions.isEmpty() || record == null) {
            return;
        }
        Kind kind = switch (topic) {
            case Topics.ORBITAL_MANEUVERS_V1 -> Kind.MANEUVER;
            case Topics.ORBITAL_CONJUNCTIONS_V1 -> Kind.CONJUNCTION;
            case Topics.ORBITAL_CCDM_V1 -> Kind.CCDM;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        JsonNode event;
        try {
            event = json.readTree(record);
        } catch (java.io.IOException e) {
            return;
        }
        JsonNode data = event.path("data");
        List<Integer> objects = new ArrayList<>(2);
        String owner = null;
        if (kind == Kind.CONJUNCTION) {
            objects.add(data.path("primaryNoradId").asInt());
            objects.add(data.path("secondaryNoradId").asInt());
            owner = data.path("tenant").asText(null);
            if (owner == null) {
                return; // a conjunction is a tenant's: without one it reaches nobody
            }
        } else {
            objects.add(data.path("noradId").asInt());
            String source = event.path("source").asText("");
            if (source.startsWith(privateSource)) {
                owner = source.substring(privateSource.length()); // a tenant's private finding
                if (owner.isEmpty() || !owner.equals(data.path("tenant").asText(null))) {
                    return; // inconsistent: deliver to nobody rather than to the wrong tenant
                }
            }
        }
        ObjectNode alert = json.createObjectNode();
        alert.put("alert", kind.name());
        alert.put("eventId", event.path("id").asText());
        alert.put("type", event.path("type").asText());
        alert.put("time", event.path("time").asText());
        alert.set("noradIds", json.valueToTree(objects));
        alert.set("data", data);
        String text = alert.toString();
        for (Subscription s : subscriptions.values()) {
            if (!s.kinds.contains(kind) || (owner != null && !owner.equals(s.tenant))
                    || objects.stream().noneMatch(s.objects::contains)) {
                continue;
            }
            if (s.pending.incrementAndGet() > MAX_PENDING) {
                s.pending.decrementAndGet();
                metrics.counter("dbp.orbital.alerts.dropped").increment();
                continue;
            }
            s.connection.sendText(text).subscribe().with(ok -> s.pending.decrementAndGet(), e -> {
                s.pending.decrementAndGet();
                metrics.counter("dbp.orbital.alerts.dropped").increment();
            });
            metrics.counter("dbp.orbital.alerts.sent", "alert", kind.name()).increment();
        }
    }
}
