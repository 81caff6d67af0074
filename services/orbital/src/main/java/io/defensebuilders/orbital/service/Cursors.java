package io.defensebuilders.orbital.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.Params;

/** Opaque keyset cursors: a kind tag and the last key of the page, base64url-encoded. */
final class Cursors {

    private Cursors() {
    }

    static String encode(String kind, String key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + "|" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key of a cursor of this kind; 400 when it is not one this endpoint returned. */
    static String decode(String kind, String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(kind + "|")) {
                return text.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint with these parameters");
    }

    /** A page size: {@code fallback} when absent, else an integer in [1, max]. */
    static int limit(String limit, int fallback, int max) {
        Integer value = Params.integer("limit", limit, 1, max);
        return value == null ? fallback : value;
    }

}
