package io.defensebuilders.gateway.service;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.Tenant;
import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.repository.TenantRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * First start on an empty database: creates the bootstrap admin tenant and an API key with the admin and
 * platform-admin roles, and prints the key once; or, when {@code dbp.gateway.bootstrap.key} gives the key (a Helm
 * install keeps it in a Secret), creates that one and prints nothing of it. The key is never stored in clear and never printed
 * again; lose it
 * and the way back is a platform admin or the database.
 */
@ApplicationScoped
public class Bootstrap {

    /** The line the local runtime looks for in the log; keep it stable. */
    public static final String MARKER = "BOOTSTRAP API KEY (shown once, store it now): ";
    private static final Logger LOG = Logger.getLogger(Bootstrap.class);
    private static final long LOCK = 0x6462705f626f6f74L;

    private final TenantRepository tenants;
    private final ApiKeyService apiKeys;
    private final GatewayConfig config;

    public Bootstrap(TenantRepository tenants, ApiKeyService apiKeys, GatewayConfig config) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.config = config;
    }

    void onStart(@Observes @Priority(100) StartupEvent event) throws Throwable {
        if (!config.bootstrap().enabled()) {
            return;
        }
        String id = config.bootstrap().tenant();
        // on a Vert.x context of its own, as Hibernate Reactive needs; every wait in it is the pool's, bounded
        Boolean created = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache
                .getSession()
                // replicas starting together: one creates the tenant, the others then find it
                .chain(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(" + LOCK + ")::text")
                        .getSingleResult())
                .chain(() -> tenants.count())
                .chain(count -> count > 0 ? Uni.createFrom().item(false)
                        : tenants.insert(new Tenant(id, "Bootstrap administrators", "enterprise", "bootstrap",
                                Instant.now())).replaceWith(true))));
        if (!created) {
            return;
        }
        Optional<String> given = config.bootstrap().key();
        ApiKeyService.Issued issued = VertxContextSupport.subscribeAndAwait(() -> apiKeys.issue(id, "bootstrap",
                Set.of(Role.ADMIN, Role.PLATFORM_ADMIN), null, "bootstrap",
                given.map(Bootstrap::configured).orElseGet(ApiKeyCodec::issue)));
        if (given.isPresent()) {
            LOG.warnf("No tenant existed: created tenant '%s' (admin, platform-admin) with the configured bootstrap "
                    + "API key (dbp.gateway.bootstrap.key, e.g. the Secret gateway-bootstrap); it is not logged", id);
            return;
        }
        config.bootstrap().keyFile().ifPresent(file -> writeOwnerOnly(file, issued.token()));
        String line = "=".repeat(100);
        LOG.warn("\n" + line + "\nNo tenant existed: created tenant '" + id + "' (admin, platform-admin).\n" + MARKER
                + issued.token() + "\n" + line);
    }

    /** The configured key as the codec would have issued it; refuses (at start) one that is not a key. */
    public static ApiKeyCodec.Issued configured(String token) {
        ApiKeyCodec.Presented presented = ApiKeyCodec.parse(token).orElseThrow(() -> new IllegalArgumentException(
                "dbp.gateway.bootstrap.key is not an API key (dbp_<16 hex digits>_<43 base64url characters>)"));
        return new ApiKeyCodec.Issued(presented.id(), token.trim(), presented.hash());
    }

    private static void writeOwnerOnly(java.nio.file.Path file, String token) {
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            java.nio.file.Files.writeString(file, token + "\n");
        } catch (java.io.IOException e) {
            LOG.warnf("could not write the bootstrap key to %s: %s", file, e.toString());
        }
    }
}
