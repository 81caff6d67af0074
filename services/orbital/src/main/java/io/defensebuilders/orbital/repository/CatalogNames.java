package io.defensebuilders.orbital.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * What Hibernate reads of the catalog: an object's name, shared ({@code catalog_object}) or as a tenant's overlay
 * names it ({@code overlay_object}). Read-only; the catalog itself is written in SQL ({@link CatalogRepository}).
 */
public final class CatalogNames {

    private CatalogNames() {
    }

    /** A shared catalog object's name. */
    @Entity(name = "SharedName")
    @Immutable
    @Table(name = "catalog_object")
    public static class Shared {

        @Id
        @Column(name = "norad_id")
        public Integer noradId;

        public String name;
    }

    /** A tenant's overlay object's name. */
    @Entity(name = "OverlayName")
    @Immutable
    @Table(name = "overlay_object")
    @IdClass(ProtectedAssetEntity.Key.class)
    public static class Overlay {

        @Id
        public String tenant;

        @Id
        @Column(name = "norad_id")
        public Integer noradId;

        public String name;
    }
}
