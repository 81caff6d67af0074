package io.defensebuilders.orbital.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalElementsV1;
import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.elements.ElementSetReader;
import io.defensebuilders.orbital.service.CatalogService;
import io.defensebuilders.platform.events.CloudEventCodec;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.DatabaseUnavailableException;
import io.smallrye.mutiny.Uni;

/**
 * Ingests element sets from {@code orbital.elements.v1} into the shared catalog (producers on the topic are trusted,
 * Kafka ACLs decide who they are). A record that is not a valid event, or whose element sets are invalid (an epoch
 * more than {@code dbp.orbital.ingest.max-future-epoch} ahead included), goes to the dead-letter topic
 * {@code orbital.elements.v1.dlq} with the reason (the {@code dead-letter-reason} header) and the consumer moves on.
 * A database that cannot answer is waited for, however long (the record is not lost to the dead-letter topic);
 * another failure is retried three times before that. A redelivered event (same source and id) changes nothing
 * (inbox deduplication).
 */
@ApplicationScoped
public class ElementSetConsumer {

    /** The incoming channel (mp.messaging.incoming.orbital-elements.*). */
    public static final String CHANNEL = "orbital-elements";
    private static final Logger LOG = Logger.getLogger(ElementSetConsumer.class);

    private final CloudEventCodec codec;
    private final ElementSetReader reader;
    private final CatalogService catalog;

    public ElementSetConsumer(CloudEventCodec codec, ElementSetReader reader, CatalogService catalog) {
        this.codec = codec;
        this.reader = reader;
        this.catalog = catalog;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(String record) {
        CloudEvent<OrbitalElementsV1> event;
        List<ElementSet> sets;
        try {
            event = codec.decode(record, OrbitalElementsV1.class);
            if (!OrbitalElementsV1.TYPE.equals(event.type())) {
                throw new CloudEventCodec.MalformedEventException("event " + event.id() + " has type " + event.type()
                        + ", not " + OrbitalElementsV1.TYPE);
            }
            OrbitalElementsV1 data = event.data();
            if (data.tenant().isBlank()) {
                throw new CloudEventCodec.MalformedEventException("event " + event.id() + " names no tenant");
            }
            ElementFormat format = ElementFormat.fromWire(data.format())
                    .orElseThrow(() -> new CloudEventCodec.MalformedEventException(
                            "event " + event.id() + " has unknown format '" + data.format() + "'"));
            sets = reader.read(format, data.content(), catalog.latestEpoch());
        } catch (CloudEventCodec.MalformedEventException | ProblemException e) {
            return refuse(e.getMessage());
        }
        CloudEvent<OrbitalElementsV1> accepted = event;
        return catalog.ingest(accepted, sets)
                // the database cannot answer now: wait for it however long, the partition waits with this record
                .onFailure(DatabaseUnavailableException.class).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .onFailure(f -> !(f instanceof ProblemException)).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3)
                .onFailure(ProblemException.class).transform(e -> {
                    LOG.warnf("element sets of event %s refused: %s", accepted.id(), e.getMessage());
                    return new IllegalArgumentException(e.getMessage());
                })
                .invoke(items -> LOG.debugf("event %s: %d element sets", accepted.id(), items.size()))
                .replaceWithVoid();
    }

    private static Uni<Void> refuse(String reason) {
        LOG.warnf("orbital.elements.v1 record sent to the dead-letter topic: %s", reason);
        return Uni.createFrom().failure(new IllegalArgumentException(reason));
    }
}
