package io.defensebuilders.gateway.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.gateway.Member;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * Who belongs to which tenant, with which role (Hibernate Reactive Panache; callers open the session or transaction).
 * A subject's memberships, read when a signed-in caller is not cached, stay one SQL statement, in
 * {@link IdentityReads}.
 */
@ApplicationScoped
public class MemberRepository implements PanacheRepositoryBase<MemberEntity, MemberEntity.Key> {

    /**
     * Adds the member or changes their role. Two transactions adding the same new member at once: one of them fails
     * with a unique violation at commit, and the caller runs it again (it then finds the row).
     */
    public Uni<Void> put(Member m) {
        return findById(new MemberEntity.Key(m.tenantId(), m.subject())).chain(found -> {
            if (found != null) {
                found.set(m);
                return Uni.createFrom().voidItem();
            }
            return persist(MemberEntity.of(m)).replaceWithVoid();
        });
    }

    /** False when the subject was not a member of the tenant. */
    public Uni<Boolean> remove(String tenantId, String subject) {
        return deleteById(new MemberEntity.Key(tenantId, subject));
    }

    public Uni<List<Member>> ofTenant(String tenantId) {
        return list("tenantId", Sort.by("subject"), tenantId)
                .map(all -> all.stream().map(MemberEntity::toMember).toList());
    }
}
