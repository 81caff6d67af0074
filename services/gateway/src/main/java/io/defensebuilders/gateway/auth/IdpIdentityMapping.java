package io.defensebuilders.gateway.auth;

import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.SignIn;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.service.MembershipCache;
import io.defensebuilders.gateway.service.SignIns;
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
 * the claimed tenant, lowered to the tenant's {@code idpMaxRole}) and from the membership table. A token that names a
 * registered tenant makes its bearer a member just in time, recorded for the tenant's admins ({@link SignIns}).
 */
@ApplicationScoped
public class IdpIdentityMapping implements SecurityIdentityAugmentor {

    /** Header choosing among several memberships of one human. */
    public static final String TENANT_HEADER = "X-DBP-Tenant";
    // set by quarkus-oidc on identities it creates: the OIDC tenant (here: identity provider) that verified the token
    private static final String OIDC_TENANT_ATTRIBUTE = "tenant-id";

    private final GatewayConfig config;
    private final MembershipCache memberships;
    private final SignIns signIns;

    public IdpIdentityMapping(GatewayConfig config, MembershipCache memberships, SignIns signIns) {
        this.config = config;
        this.memberships = memberships;
        this.signIns = signIns;
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
        String claimed = mapping != null && mapping.tenant().isPresent() ? mapping.tenant().get()
                : strings(jwt.getClaim(tenantClaim)).stream().findFirst()
                        .filter(t -> allowed.map(a -> a.contains(t)).orElse(true)).orElse(null);
        Set<Role> claimedRoles = new LinkedHashSet<>();
        for (String name : strings(jwt.getClaim(rolesClaim))) {
            Role.fromClaim(roleMap.getOrDefault(name, name)).ifPresent(claimedRoles::add);
        }
        String requested = header(identity, TENANT_HEADER);

        Uni<Optional<String>> ceiling = claimed == null ? Uni.createFrom().item(Optional.empty())
                : signIns.ceiling(claimed);
        return Uni.combine().all().unis(memberships.of(subject), ceiling).asTuple().map(found -> {
            List<MembershipCache.Membership> list = found.getItem1();
            // a tenant that is not registered grants nothing anyway: its calls are refused (TenantPlans)
            Set<Role> fromToken = found.getItem2().map(max -> SignIns.cap(claimedRoles, max)).orElse(claimedRoles);
            if (found.getItem2().isPresent() && !fromToken.isEmpty()) {
                signIns.record(signIn(jwt, claimed, subject, idp, fromToken));
            }
            String tenant = claimed;
            if (tenant == null && list.size() == 1) {
                tenant = list.getFirst().tenant();
            } else if (tenant == null && requested != null
                    && list.stream().anyMatch(m -> m.tenant().equals(requested))) {
                tenant = requested;
            }
            Set<Role> roles = new LinkedHashSet<>();
            if (tenant != null && tenant.equals(claimed)) {
                roles.addAll(fromToken);
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

    /**
     * The sign-in a token stands for: signed in at its {@code auth_time} (when the person authenticated; a refreshed
     * token keeps it), else when it was issued.
     */
    private static SignIn signIn(JsonWebToken jwt, String tenant, String subject, String idp, Set<Role> roles) {
        Instant issued = jwt.getIssuedAtTime() > 0 ? Instant.ofEpochSecond(jwt.getIssuedAtTime()) : Instant.now();
        long authTime = seconds(jwt.getClaim("auth_time"));
        Instant signedIn = authTime > 0 ? Instant.ofEpochSecond(authTime) : issued;
        String name = text(jwt, "name", "preferred_username");
        return new SignIn(tenant, subject, idp, name, text(jwt, "email"),
                roles.stream().map(Role::claimValue).sorted().toList(), signedIn, signedIn, issued);
    }

    /** A numeric claim (seconds), as the JWT library hands it over; 0 when absent or not a number. */
    private static long seconds(Object claim) {
        return claim instanceof Number n ? n.longValue() : claim instanceof JsonNumber n ? n.longValue() : 0;
    }

    /** The first of {@code claims} that is a non-blank string, at most 200 characters; null when none is. */
    private static String text(JsonWebToken jwt, String... claims) {
        for (String claim : claims) {
            Object value = jwt.getClaim(claim);
            String text = value instanceof JsonString s ? s.getString() : value instanceof String s ? s : null;
            if (text != null && !text.isBlank()) {
                return text.length() > 200 ? text.substring(0, 200) : text;
            }
        }
        return null;
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
