package io.defensebuilders.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API key format, without the HTTP layer: what is issued parses back, what is malformed never does. */
class ApiKeyCodecTest {

    @Test
    void anIssuedKeyParsesBackToItsIdAndMatchesOnlyItsOwnHash() {
        ApiKeyCodec.Issued issued = ApiKeyCodec.issue();
        assertTrue(issued.token().matches("dbp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), issued.token());
        ApiKeyCodec.Presented presented = ApiKeyCodec.parse(issued.token()).orElseThrow();
        assertEquals(issued.id(), presented.id());
        assertArrayEquals(issued.hash(), presented.hash());
        assertTrue(ApiKeyCodec.matches(presented, issued.hash()));
        assertFalse(ApiKeyCodec.matches(presented, ApiKeyCodec.issue().hash()), "another key's hash");
        // surrounding white space (a pasted key) is forgiven
        assertTrue(ApiKeyCodec.parse("  " + issued.token() + "\n").isPresent());
    }

    @Test
    void everyIssuedKeyIsNew() {
        Set<String> ids = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ApiKeyCodec.Issued issued = ApiKeyCodec.issue();
            ids.add(issued.id());
            tokens.add(issued.token());
        }
        assertEquals(1000, ids.size());
        assertEquals(1000, tokens.size());
    }

    @Test
    void theStoredHashIsTheSha256OfTheSecretNotOfTheToken() {
        ApiKeyCodec.Issued issued = ApiKeyCodec.issue();
        String secret = issued.token().substring("dbp_".length() + 17);
        assertArrayEquals(ApiKeyCodec.sha256(secret), issued.hash());
        assertNotEquals(java.util.HexFormat.of().formatHex(ApiKeyCodec.sha256(issued.token())),
                java.util.HexFormat.of().formatHex(issued.hash()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "dbp_",
            "Bearer dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // upper-case hex id
            "dbp_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // id one short, secret one long
            "dbp_0123456789abcde_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // secret one short
            "dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // base64 (not base64url) characters
            "dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/",
            // padding
            "dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            // another separator
            "dbp_0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // another prefix
            "dbx_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            // non-ASCII in the secret
            "dbp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé" })
    void aMalformedTokenIsNoKey(String token) {
        assertTrue(ApiKeyCodec.parse(token).isEmpty(), token);
    }

    @Test
    void noTokenIsNoKey() {
        assertTrue(ApiKeyCodec.parse(null).isEmpty());
    }
}
