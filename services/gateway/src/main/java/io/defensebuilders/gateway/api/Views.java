package io.defensebuilders.gateway.api;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.gateway.Member;
import io.defensebuilders.gateway.SignIn;
import io.defensebuilders.gateway.Tenant;

/** Request and response bodies of the gateway's own endpoints. */
public final class Views {

    private Views() {
    }

    static final String TENANT_ID = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    static final String ROLE = "viewer|builder|publisher|admin|platform-admin";

    @Schema(name = "NewTenant")
    public record NewTenant(
            @NotBlank @Pattern(regexp = TENANT_ID, message = "lowercase letters, digits and dashes, at most 63") String id,
            @NotBlank @Size(max = 200) String name, @Size(max = 64) String plan) {
    }

    @Schema(name = "TenantChanges")
    public record TenantChanges(@Size(min = 1, max = 200) String name, @Size(min = 1, max = 64) String plan,
            @Schema(description = "The highest role a token of the identity provider naming this tenant grants here"
                    + " (its groups' roles above it are lowered to it); `none`: such tokens grant no role") @Pattern(regexp = Tenant.IDP_MAX_ROLES, message = "one of none, viewer, builder, publisher, admin") String idpMaxRole) {
    }

    @Schema(name = "Tenant")
    public record TenantView(String id, String name, String plan, Instant createdAt,
            @Schema(description = "The highest role a token of the identity provider naming this tenant grants here") String idpMaxRole) {
        static TenantView of(Tenant t) {
            return new TenantView(t.id(), t.name(), t.plan(), t.createdAt(), t.idpMaxRole());
        }
    }

    @Schema(name = "SignIn", description = "A person who signed in through an identity provider into the tenant")
    public record SignInView(@Schema(description = "<identity provider>:<sub>") String subject, String idp,
            String name, String email,
            @Schema(description = "The roles their latest token gave them here, after the tenant's idpMaxRole") List<String> roles,
            Instant firstSignInAt, Instant lastSignInAt,
            @Schema(description = "When their latest token was issued (a refresh, or a sign-in)") Instant lastTokenAt) {
        static SignInView of(SignIn s) {
            return new SignInView(s.subject(), s.idp(), s.name(), s.email(), s.roles(), s.firstAt(), s.lastAt(),
                    s.lastTokenAt());
        }
    }

    @Schema(name = "MemberRole")
    public record MemberRole(
            @NotBlank @Pattern(regexp = ROLE, message = "one of viewer, builder, publisher, admin, platform-admin") String role) {
    }

    @Schema(name = "Member")
    public record MemberView(String subject, String role, String addedBy, Instant addedAt) {
        static MemberView of(Member m) {
            return new MemberView(m.subject(), m.role().claimValue(), m.addedBy(), m.addedAt());
        }
    }

    @Schema(name = "NewApiKey")
    public record NewApiKey(@NotBlank @Size(max = 200) String name,
            @NotNull @Size(min = 1, max = 5) List<@Pattern(regexp = ROLE, message = "one of viewer, builder, publisher, admin, platform-admin") String> roles,
            @Schema(description = "When the key stops working; absent: never") Instant expiresAt,
            @Schema(description = "Tenant of the key; platform admins only, default the caller's") String tenant) {
    }

    @Schema(name = "ApiKey")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyView(String id, String tenant, String name, List<String> roles, Instant createdAt,
            Instant expiresAt, Instant revokedAt,
            @Schema(description = "The whole key, dbp_<id>_<secret>: only in the answer to its creation") String secret) {
        static ApiKeyView of(ApiKey k, String secret) {
            return new ApiKeyView(k.id(), k.tenantId(), k.name(), k.roles().stream().map(Role::claimValue).toList(),
                    k.createdAt(), k.expiresAt(), k.revokedAt(), secret);
        }
    }

    @Schema(name = "TokenRequest")
    public record TokenRequest(@NotBlank @Pattern(regexp = TENANT_ID, message = "a tenant id") String tenant,
            @NotBlank @Size(max = 200) String subject,
            @NotNull @Size(min = 1, max = 5) List<@Pattern(regexp = ROLE, message = "one of viewer, builder, publisher, admin, platform-admin") String> roles) {
    }

    @Schema(name = "MintedToken")
    public record MintedToken(String token, Instant expiresAt) {
    }

    @Schema(name = "SigningKey")
    public record SigningKeyView(String kid, String algorithm, Instant activatesAt, Instant retiresAt) {
    }
}
