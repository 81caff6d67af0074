package io.defensebuilders.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.defensebuilders.platform.events.Outbox;

/**
 * A row of platform-common's {@code event_outbox} table as Hibernate maps it, written only (the relay reads and
 * deletes rows with SQL). An entity rather than a native INSERT: Hibernate treats a native update as a bulk operation
 * whose clean-up Hibernate Reactive leaves pending, and warns about it on every transaction.
 */
@Entity
@Table(name = "event_outbox")
public class OutboxEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public String topic;

    @Column(name = "record_key")
    public String recordKey;

    @Column(name = "event_id")
    public String eventId;

    public String payload;

    static OutboxEntity of(Outbox.Row row) {
        OutboxEntity e = new OutboxEntity();
        e.topic = row.topic();
        e.recordKey = row.recordKey();
        e.eventId = row.eventId();
        e.payload = row.payload();
        return e;
    }
}
