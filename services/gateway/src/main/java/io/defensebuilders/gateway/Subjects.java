package io.defensebuilders.gateway;

import java.util.regex.Pattern;

/**
 * A member's subject: {@code <identity provider>:<sub>}, as the gateway names a signed-in user (IdpIdentityMapping).
 * The provider is a lowercase name like the OIDC tenant's; {@code sub} is the IdP's opaque identifier (at most 255
 * ASCII characters by OpenID Connect), here letters, digits and {@code . _ @ | + = : ~ -}, which covers the subjects of
 * Keycloak, Auth0 ({@code google-oauth2|123}), Okta, Entra ID, Cognito and e-mail-shaped ones; never a space, a slash
 * or a control character.
 */
public final class Subjects {

    private static final Pattern SUBJECT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}:[A-Za-z0-9._@|+=:~-]{1,255}");

    private Subjects() {
    }

    public static boolean valid(String subject) {
        return subject != null && SUBJECT.matcher(subject).matches() && !subject.contains("..");
    }

    /** What a valid subject looks like, for the 400 that refuses another. */
    public static final String RULE = "<identity provider>:<sub>, e.g. keycloak:3f2a0c1e-...; the provider in lowercase "
            + "letters, digits, '-' and '_'; the sub at most 255 of letters, digits and . _ @ | + = : ~ -";
}
