package io.defensebuilders.billing.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/**
 * One version of a plan as Hibernate maps the {@code plan} table (Flyway owns the schema): inserted, never changed
 * (a trigger refuses updates and deletes). Charges and limits are the stored JSON text, cast to and from
 * {@code jsonb} in SQL so that Hibernate binds plain text (bound as {@code jsonb} directly, the reactive client would
 * store a Java string as a JSON string); {@link PlanReads} reads them.
 */
@Entity
@Immutable
@Table(name = "plan")
public class PlanEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The column {@code key}: a keyword of Hibernate's query language, so not the field's name. */
    @Column(name = "key")
    public String planKey;

    public int version;

    public String name;

    public String description;

    /** {@code char(3)}. */
    public String currency;

    public boolean custom;

    @ColumnTransformer(read = "cast(charges as text)", write = "cast(cast(? as text) as jsonb)")
    public String charges;

    @ColumnTransformer(read = "cast(limits as text)", write = "cast(cast(? as text) as jsonb)")
    public String limits;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;
}
