package io.defensebuilders.gateway.usage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;


/**
 * One JSON line per proxied call on the {@code dbp.access} logger: who, what, how it went. Never the query string,
 * headers or bodies, so no credential or personal data ends up in it.
 */
@ApplicationScoped
public class AccessLog {

    private static final Logger LOG = Logger.getLogger("dbp.access");

    public void log(String requestId, String method, String path, int status, double millis, long bytesIn, long bytesOut,
            String tenant, String subject, String upstream) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // written by hand: this runs for every call
        StringBuilder line = new StringBuilder(256).append("{\"requestId\":");
        quote(line, requestId).append(",\"method\":");
        quote(line, method).append(",\"path\":");
        quote(line, path).append(",\"status\":").append(status).append(",\"ms\":")
                .append(Math.round(millis * 100) / 100.0).append(",\"bytesIn\":").append(bytesIn)
                .append(",\"bytesOut\":").append(bytesOut).append(",\"tenant\":");
        quote(line, tenant).append(",\"subject\":");
        quote(line, subject).append(",\"upstream\":");
        quote(line, upstream).append('}');
        LOG.info(line);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static StringBuilder quote(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }
}
