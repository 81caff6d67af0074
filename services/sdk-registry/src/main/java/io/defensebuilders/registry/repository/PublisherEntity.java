package io.defensebuilders.registry.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.defensebuilders.registry.Publisher;

/** The {@code publisher} table as Hibernate maps it (Flyway owns the schema); the service sees {@link Publisher}. */
@Entity
@Table(name = "publisher")
public class PublisherEntity {

    @Id
    public UUID id;

    @Column(updatable = false)
    public String tenant;

    @Column(updatable = false)
    public String name;

    @Column(name = "display_name")
    public String displayName;

    public String url;

    @Column(name = "created_by", updatable = false)
    public String createdBy;

    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    static PublisherEntity of(Publisher p) {
        PublisherEntity e = new PublisherEntity();
        e.id = p.id();
        e.tenant = p.tenant();
        e.name = p.name();
        e.displayName = p.displayName();
        e.url = p.url();
        e.createdBy = p.createdBy();
        e.createdAt = p.createdAt();
        return e;
    }

    Publisher toPublisher() {
        return new Publisher(id, tenant, name, displayName, url, createdBy, createdAt);
    }
}
