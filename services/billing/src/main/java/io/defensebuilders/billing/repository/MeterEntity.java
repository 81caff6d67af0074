package io.defensebuilders.billing.repository;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.defensebuilders.billing.Aggregation;
import io.defensebuilders.billing.Meter;
import io.defensebuilders.billing.ValueProperty;

/**
 * The {@code meter} table as Hibernate maps it (Flyway owns the schema); the services see {@link Meter}. What a meter
 * aggregates (event meter, aggregation, value property) is never updated; a retired meter keeps its row.
 */
@Entity
@Table(name = "meter")
public class MeterEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The column {@code key}: a keyword of Hibernate's query language, so not the field's name. */
    @Column(name = "key", updatable = false)
    public String meterKey;

    public String description;

    @Column(name = "event_meter", updatable = false)
    public String eventMeter;

    @Enumerated(EnumType.STRING)
    @Column(updatable = false)
    public Aggregation aggregation;

    @Column(name = "value_property", updatable = false)
    public String valueProperty;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "group_by")
    public String[] groupBy;

    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    Meter toMeter() {
        return new Meter(id, meterKey, description, eventMeter, aggregation,
                ValueProperty.parse(valueProperty).orElse(null), groupBy == null ? List.of() : List.of(groupBy),
                createdAt, updatedAt);
    }
}
