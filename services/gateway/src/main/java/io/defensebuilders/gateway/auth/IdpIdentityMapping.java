package io.defensebuilders.gateway.auth;

import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.service.MembershipCache;
import io.defensebuilders.platform.auth.Caller;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Maps a token of a trusted identity provider (verified by quarkus-oidc, one OIDC tenant per IdP, chosen by the
 * token's issuer) to a platform caller: subject {@code <idp>:<sub>}; tenant from the configured claim, else the
 * caller's only membership, else the membership named by {@code X-DBP-Tenant}; roles from the configured claim (for
 * the claimed tenant) and from the membership table.
 */
@ApplicationScoped
public class IdpIdentityMapping implements SecurityIdentityAugmentor {

    /** Header choosing among several memberships of one human. */
    public static final String TENANT_HEADER = "X-DBP-Tenant";
    // set by quarkus-oidc on identities it creates: the OIDC tenant (here: identity provider) that verified the token
    private static final String OIDC_TENANT_ATTRIBUTE = "tenant-id";

    private final GatewayConfig config;
    private final MembershipCache memberships;

    public IdpIdentityMapping(GatewayConfig config, MembershipCache memberships) {
        this.config = config;
        this.memberships = memberships;
    }

    @Override
    public int priority() {
        // before the role hierarchy expands roles
        return 10;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Caller.TENANT_ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Object oidcTenant = identity.getAttribute(OIDC_TENANT_ATTRIBUTE);
        String idp = oidcTenant == null ? "default" : oidcTenant.toString();
        GatewayConfig.Idp mapping = config.idp().get(idp);
        String tenantClaim = mapping == null ? "tenant" : mapping.tenantClaim();
        String rolesClaim = mapping == null ? "roles" : mapping.rolesClaim();
        Map<String, String> roleMap = mapping == null ? Map.of() : mapping.roleMap();
        Optional<Set<String>> allowed = mapping == null ? Optional.empty() : mapping.tenants();

        String subject = idp + ":" + jwt.getSubject();
        String claimed = strings(jwt.getClaim(tenantClaim)).stream().findFirst()
                .filter(t -> allowed.map(a -> a.contains(t)).orElse(true)).orElse(null);
        Set<Role> claimedRoles = new LinkedHashSet<>();
        for (String name : strings(jwt.getClaim(rolesClaim))) {
            Role.fromClaim(roleMap.getOrDefault(name, name)).ifPresent(claimedRoles::add);
        }
        String requested = header(identity, TENANT_HEADER);

        return memberships.of(subject).map(list -> {
            String tenant = claimed;
            if (tenant == null && list.size() == 1) {
                tenant = list.getFirst().tenant();
            } else if (tenant == null && requested != null
                    && list.stream().anyMatch(m -> m.tenant().equals(requested))) {
                tenant = requested;
            }
            Set<Role> roles = new LinkedHashSet<>();
            if (tenant != null && tenant.equals(claimed)) {
                roles.addAll(claimedRoles);
            }
            String chosen = tenant;
            list.stream().filter(m -> m.tenant().equals(chosen)).forEach(m -> roles.add(m.parsedRole()));
            Principal principal = () -> subject;
            QuarkusSecurityIdentity.Builder out = QuarkusSecurityIdentity.builder()
                    .setPrincipal(principal)
                    .addCredentials(identity.getCredentials())
                    .addAttributes(identity.getAttributes())
                    .addPermissionChecker(identity::checkPermission);
            if (tenant != null) {
                out.addAttribute(Caller.TENANT_ATTRIBUTE, tenant);
            }
            roles.stream().map(Role::claimValue).forEach(out::addRole);
            return out.build();
        });
    }

    private static String header(SecurityIdentity identity, String name) {
        Object rc = identity.getAttribute(RoutingContext.class.getName());
        return rc instanceof RoutingContext context ? context.request().getHeader(name) : null;
    }

    /** A claim as strings: a string, a space-separated string, or an array. */
    private static List<String> strings(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof JsonArray array) {
            return array.stream().filter(v -> v.getValueType() == JsonValue.ValueType.STRING)
                    .map(v -> ((JsonString) v).getString()).toList();
        }
        if (claim instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        String text = claim instanceof JsonString s ? s.getString() : claim.toString();
        return List.of(text.trim().split("\\s+"));
    }
}
