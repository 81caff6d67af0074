package io.defensebuilders.gateway.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.Member;
import io.defensebuilders.gateway.Subjects;
import io.defensebuilders.gateway.Tenant;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.repository.MemberRepository;
import io.defensebuilders.gateway.repository.TenantRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Tenants and their members. Platform admins manage tenants; a tenant's admins manage its members. Each use case is
 * one Hibernate Reactive session or transaction (docs/adr/0001-data-access.md).
 */
@ApplicationScoped
public class TenantService {

    private final TenantRepository tenants;
    private final MemberRepository members;
    private final GatewayConfig config;
    private final MembershipCache memberships;
    private final TenantPlans plans;
    private final SignIns signIns;

    public TenantService(TenantRepository tenants, MemberRepository members, GatewayConfig config,
            MembershipCache memberships, TenantPlans plans, SignIns signIns) {
        this.signIns = signIns;
        this.tenants = tenants;
        this.members = members;
        this.config = config;
        this.memberships = memberships;
        this.plans = plans;
    }

    @WithSpan
    public Uni<Tenant> create(Caller caller, String id, String name, String plan) {
        if (!caller.has(Role.PLATFORM_ADMIN)) {
            return Uni.createFrom().failure(ProblemException.forbidden("creating tenants needs the platform-admin role"));
        }
        String chosen = plan == null ? config.defaultPlan() : plan;
        requireKnownPlan(chosen);
        Tenant tenant = new Tenant(id, name, chosen, caller.subject(), Instant.now());
        return Panache.withTransaction(() -> tenants.insert(tenant))
                .onFailure(Sql::isUniqueViolation).transform(e -> ProblemException.conflict("tenant '" + id + "' exists"))
                .replaceWith(tenant);
    }

    /** Every tenant for platform admins; the caller's own otherwise. */
    public Uni<List<Tenant>> visible(Caller caller) {
        if (caller.has(Role.PLATFORM_ADMIN)) {
            return Panache.withSession(tenants::all);
        }
        return Panache.withSession(() -> tenants.byId(caller.tenant())).map(t -> t.map(List::of).orElse(List.of()));
    }

    public Uni<Tenant> get(Caller caller, String id) {
        if (!TenantAccess.canSee(caller, id)) {
            return Uni.createFrom().failure(ProblemException.notFound("no tenant '" + id + "'"));
        }
        return Panache.withSession(() -> tenants.byId(id))
                .map(t -> t.orElseThrow(() -> ProblemException.notFound("no tenant '" + id + "'")));
    }

    @WithSpan
    public Uni<Tenant> update(Caller caller, String id, String name, String plan, String idpMaxRole) {
        TenantAccess.requireAdminOf(caller, id);
        if (plan != null) {
            if (!caller.has(Role.PLATFORM_ADMIN)) {
                return Uni.createFrom().failure(ProblemException.forbidden("changing a plan needs the platform-admin role"));
            }
            requireKnownPlan(plan);
        }
        // this replica applies a new plan or IdP role from the next call; the others within plan-cache-ttl and 30 s
        return Panache.withTransaction(() -> tenants.change(id, name, plan, idpMaxRole)).invoke(() -> {
            if (plan != null) {
                plans.forget(id);
            }
            if (idpMaxRole != null) {
                signIns.forget(id);
            }
        }).chain(() -> get(caller, id));
    }

    public Uni<List<Member>> members(Caller caller, String tenant) {
        TenantAccess.requireAdminOf(caller, tenant);
        return Panache.withSession(() -> members.ofTenant(tenant));
    }

    @WithSpan
    public Uni<Member> putMember(Caller caller, String tenant, String subject, Role role) {
        TenantAccess.requireAdminOf(caller, tenant);
        if (!Subjects.valid(subject)) {
            return Uni.createFrom().failure(ProblemException.invalid("subject", Subjects.RULE));
        }
        if (!caller.has(role)) {
            return Uni.createFrom().failure(ProblemException.forbidden("you cannot grant '" + role.claimValue()
                    + "', a role you do not hold"));
        }
        Member member = new Member(tenant, subject, role, caller.subject(), Instant.now());
        return get(caller, tenant)
                // a concurrent put of the same new member commits first: once more, it then finds the row
                .chain(() -> Uni.createFrom().deferred(() -> Panache.withTransaction(() -> members.put(member)))
                        .onFailure(Sql::isUniqueViolation).retry().atMost(1))
                .call(() -> memberships.evict(subject))
                .replaceWith(member);
    }

    @WithSpan
    public Uni<Void> removeMember(Caller caller, String tenant, String subject) {
        TenantAccess.requireAdminOf(caller, tenant);
        return Panache.withTransaction(() -> members.remove(tenant, subject))
                .invoke(removed -> {
                    if (!removed) {
                        throw ProblemException.notFound("'" + subject + "' is not a member of '" + tenant + "'");
                    }
                })
                .call(() -> memberships.evict(subject)).replaceWithVoid();
    }

    private void requireKnownPlan(String plan) {
        if (!config.plans().containsKey(plan)) {
            throw ProblemException.invalid("plan", "unknown plan '" + plan + "'; known: "
                    + String.join(", ", config.plans().keySet().stream().sorted().toList()));
        }
    }
}
