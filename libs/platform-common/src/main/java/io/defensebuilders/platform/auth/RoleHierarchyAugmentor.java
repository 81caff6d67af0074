package io.defensebuilders.platform.auth;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Expands the roles in the token to every role they include (publisher ⇒ builder ⇒ viewer), so authorisation
 * checks name the least role an operation needs. Unknown role names are dropped.
 */
@ApplicationScoped
public class RoleHierarchyAugmentor implements SecurityIdentityAugmentor {

    /** Every role the given ones include. */
    public static Set<Role> expand(Set<Role> roles) {
        Set<Role> out = java.util.EnumSet.noneOf(Role.class);
        for (Role top : roles) {
            for (Role role : Role.values()) {
                if (top.includes(role)) {
                    out.add(role);
                }
            }
        }
        return out;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<Role> claimed = java.util.EnumSet.noneOf(Role.class);
        identity.getRoles().forEach(name -> Role.fromClaim(name).ifPresent(claimed::add));
        Set<String> expanded = new HashSet<>();
        expand(claimed).forEach(role -> expanded.add(role.claimValue()));
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission)
                .addRoles(expanded)
                .setAnonymous(false);
        return Uni.createFrom().item(builder.build());
    }
}
