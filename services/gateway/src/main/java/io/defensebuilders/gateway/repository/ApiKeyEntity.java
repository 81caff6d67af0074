package io.defensebuilders.gateway.repository;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;

/**
 * The {@code api_key} table as Hibernate maps it (Flyway owns the schema); the services see {@link ApiKey}. Only the
 * revocation columns change after a key is issued.
 */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity {

    @Id
    public String id;

    @Column(name = "tenant_id", updatable = false)
    public String tenantId;

    @Column(updatable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(updatable = false)
    public String[] roles;

    @Column(name = "secret_hash", updatable = false)
    public byte[] secretHash;

    @Column(name = "created_by", updatable = false)
    public String createdBy;

    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @Column(name = "expires_at", updatable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    static ApiKeyEntity of(ApiKey k) {
        ApiKeyEntity e = new ApiKeyEntity();
        e.id = k.id();
        e.tenantId = k.tenantId();
        e.name = k.name();
        e.roles = k.roles().stream().map(Role::claimValue).toArray(String[]::new);
        e.secretHash = k.secretHash();
        e.createdBy = k.createdBy();
        e.createdAt = k.createdAt();
        e.expiresAt = k.expiresAt();
        e.revokedAt = k.revokedAt();
        return e;
    }

    ApiKey toApiKey() {
        Set<Role> parsed = new LinkedHashSet<>();
        for (String role : roles) {
            Role.fromClaim(role).ifPresent(parsed::add);
        }
        return new ApiKey(id, tenantId, name, parsed, secretHash, createdBy, createdAt, expiresAt, revokedAt);
    }
}
