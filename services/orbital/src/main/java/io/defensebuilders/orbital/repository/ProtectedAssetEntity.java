package io.defensebuilders.orbital.repository;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The {@code protected_asset} table as Hibernate maps it (Flyway owns the schema): one row per tenant and object,
 * never changed once written (protecting again keeps the first row; unprotecting deletes it).
 */
@Entity
@Table(name = "protected_asset")
@IdClass(ProtectedAssetEntity.Key.class)
public class ProtectedAssetEntity {

    @Id
    @Column(updatable = false)
    public String tenant;

    @Id
    @Column(name = "norad_id", updatable = false)
    public Integer noradId;

    @Column(name = "added_by", updatable = false)
    public String addedBy;

    @Column(name = "added_at", updatable = false)
    public Instant addedAt;

    /** The primary key: tenant and NORAD id. */
    public static final class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        public String tenant;
        public Integer noradId;

        public Key() {
        }

        public Key(String tenant, Integer noradId) {
            this.tenant = tenant;
            this.noradId = noradId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenant, k.tenant) && Objects.equals(noradId, k.noradId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, noradId);
        }
    }
}
