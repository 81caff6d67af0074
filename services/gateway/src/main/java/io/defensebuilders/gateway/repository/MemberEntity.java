package io.defensebuilders.gateway.repository;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.Member;

/** The {@code member} table as Hibernate maps it (Flyway owns the schema); the services see {@link Member}. */
@Entity
@Table(name = "member")
@IdClass(MemberEntity.Key.class)
public class MemberEntity {

    /** A member's key: the tenant and the subject. */
    public record Key(String tenantId, String subject) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    public String subject;

    /** The role's claim value ({@code viewer} ... {@code platform-admin}), as the column's check constraint has it. */
    public String role;

    @Column(name = "added_by")
    public String addedBy;

    @Column(name = "added_at")
    public Instant addedAt;

    static MemberEntity of(Member m) {
        MemberEntity e = new MemberEntity();
        e.tenantId = m.tenantId();
        e.subject = m.subject();
        e.set(m);
        return e;
    }

    /** Copies what putting a member again changes: the role, and who gave it when. */
    void set(Member m) {
        role = m.role().claimValue();
        addedBy = m.addedBy();
        addedAt = m.addedAt();
    }

    Member toMember() {
        return new Member(tenantId, subject, Role.fromClaim(role).orElseThrow(), addedBy, addedAt);
    }
}
