package io.defensebuilders.gateway.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.defensebuilders.gateway.Tenant;

/** The {@code tenant} table as Hibernate maps it (Flyway owns the schema); the services see {@link Tenant}. */
@Entity
@Table(name = "tenant")
public class TenantEntity {

    @Id
    public String id;

    public String name;

    public String plan;

    @Column(name = "created_by", updatable = false)
    public String createdBy;

    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @Column(name = "idp_max_role")
    public String idpMaxRole;

    static TenantEntity of(Tenant t) {
        TenantEntity e = new TenantEntity();
        e.id = t.id();
        e.name = t.name();
        e.plan = t.plan();
        e.createdBy = t.createdBy();
        e.createdAt = t.createdAt();
        e.idpMaxRole = t.idpMaxRole();
        return e;
    }

    Tenant toTenant() {
        return new Tenant(id, name, plan, createdBy, createdAt, idpMaxRole);
    }
}
