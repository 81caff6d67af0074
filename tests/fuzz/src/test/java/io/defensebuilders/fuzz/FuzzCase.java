package io.defensebuilders.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request the fuzzer sends, and what it is: the operation it targets, the group it was sampled from (the kind
 * of malformation, e.g. {@code body-field:null}), a readable label, the caller, and whether it is a cross-tenant
 * access of A's private data (then any 2xx is a failure).
 *
 * @param headers sent in this order; Host, Connection and Content-Length are added when sent (Host not when
 *        {@code noHost})
 */
record FuzzCase(String operation, String group, String label, String tenant, String role, boolean crossTenant,
        String method, String target, List<Map.Entry<String, String>> headers, byte[] body, boolean noHost) {

    FuzzCase {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The caller, as {@code tenant/role}, or {@code anonymous}. */
    String caller() {
        return tenant == null ? "anonymous" : tenant + "/" + role;
    }

    /** The request as text (body as UTF-8 with bad bytes replaced), for secret-marker checks. */
    String requestText() {
        StringBuilder s = new StringBuilder(method).append(' ').append(target).append('\n');
        headers.forEach(h -> s.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
        return s.append(new String(body, StandardCharsets.UTF_8)).toString();
    }
}
