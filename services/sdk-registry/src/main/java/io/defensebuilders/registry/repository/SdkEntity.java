package io.defensebuilders.registry.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.Visibility;

/**
 * The metadata columns of the {@code sdk} table as Hibernate maps them (Flyway owns the schema); the service sees
 * {@link Sdk}. What version writes maintain in explicit SQL (the latest pointer, the README search copy, the search
 * columns, the download count) is read-only here or not mapped, and updates write only changed columns, so a metadata
 * change never overwrites them.
 */
@Entity
@Table(name = "sdk")
@DynamicUpdate
public class SdkEntity {

    @Id
    public UUID id;

    @Column(updatable = false)
    public String name;

    @Column(updatable = false)
    public String tenant;

    @Column(name = "publisher_id", updatable = false)
    public UUID publisherId;

    @Formula("(SELECT p.name FROM publisher p WHERE p.id = publisher_id)")
    public String publisher;

    public String title;

    public String description;

    public String license;

    public String homepage;

    public String repository;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] tags;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    @Convert(converter = VisibilityColumn.class)
    public Visibility visibility;

    @Formula("(SELECT v.version FROM sdk_version v WHERE v.id = latest_version_id)")
    public String latestVersion;

    @Column(insertable = false, updatable = false)
    public long downloads;

    @Column(name = "created_by", updatable = false)
    public String createdBy;

    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    static SdkEntity of(Sdk s) {
        SdkEntity e = new SdkEntity();
        e.id = s.id();
        e.name = s.name();
        e.tenant = s.tenant();
        e.publisherId = s.publisherId();
        e.publisher = s.publisher();
        e.createdBy = s.createdBy();
        e.createdAt = s.createdAt();
        e.setMetadata(s);
        return e;
    }

    /** Copies what a metadata change may change. */
    void setMetadata(Sdk s) {
        title = s.title();
        description = s.description();
        license = s.license();
        homepage = s.homepage();
        repository = s.repository();
        tags = s.tags().toArray(String[]::new);
        categories = s.categories().toArray(String[]::new);
        visibility = s.visibility();
        updatedAt = s.updatedAt();
    }

    Sdk toSdk() {
        return new Sdk(id, name, tenant, publisherId, publisher, title, description, license, homepage, repository,
                tags == null ? List.of() : List.of(tags), categories == null ? List.of() : List.of(categories),
                visibility, latestVersion, downloads, createdBy, createdAt, updatedAt);
    }

    /** Visibility as the column stores it: {@code public} or {@code private}. */
    @Converter
    public static class VisibilityColumn implements AttributeConverter<Visibility, String> {

        @Override
        public String convertToDatabaseColumn(Visibility visibility) {
            return visibility == null ? null : visibility.dbValue();
        }

        @Override
        public Visibility convertToEntityAttribute(String value) {
            return value == null ? null : Visibility.fromDb(value);
        }
    }
}
