package io.defensebuilders.registry.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.platform.events.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The transactional outbox on Hibernate Reactive's session: an aggregate saved through Panache and the event that
 * reports it are written on the session's one connection, so they commit or roll back together (the Vert.x pool's
 * {@link Outbox#append} would take another connection, and another transaction). Same row as {@link Outbox#append}.
 */
@ApplicationScoped
public class SessionOutbox {

    private final Outbox outbox;

    public SessionOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Appends {@code event} for {@code topic} inside the current Panache transaction. */
    public Uni<Void> append(String topic, CloudEvent<?> event) {
        OutboxEntity row = OutboxEntity.of(outbox.row(topic, event));
        return Panache.getSession().chain(session -> session.persist(row).call(session::flush))
                .replaceWithVoid();
    }
}
