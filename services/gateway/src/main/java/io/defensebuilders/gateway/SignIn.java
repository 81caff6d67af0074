package io.defensebuilders.gateway;

import java.time.Instant;
import java.util.List;

/**
 * A person who signed in through an identity provider into a tenant their token names (a member just in time): who,
 * from which provider, their name and email as the token gave them, the roles of their latest token there, when they
 * first and last signed in, and when their latest token was issued.
 */
public record SignIn(String tenant, String subject, String idp, String name, String email, List<String> roles,
        Instant firstAt, Instant lastAt, Instant lastTokenAt) {
}
