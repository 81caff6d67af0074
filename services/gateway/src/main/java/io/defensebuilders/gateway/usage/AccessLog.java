package io.defensebuilders.gateway.usage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

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
        LOG.info(new JsonObject().put("requestId", requestId).put("method", method).put("path", path)
                .put("status", status).put("ms", Math.round(millis * 100) / 100.0).put("bytesIn", bytesIn)
                .put("bytesOut", bytesOut).put("tenant", tenant).put("subject", subject).put("upstream", upstream)
                .encode());
    }
}
