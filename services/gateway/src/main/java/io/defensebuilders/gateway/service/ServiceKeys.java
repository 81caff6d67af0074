package io.defensebuilders.gateway.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.gateway.ApiKey;
import io.defensebuilders.gateway.auth.ApiKeyCodec;
import io.defensebuilders.gateway.config.GatewayConfig;
import io.defensebuilders.gateway.repository.ApiKeyRepository;
import io.defensebuilders.gateway.repository.TenantRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The platform's own services' API keys ({@code dbp.gateway.bootstrap.service-keys-dir}): the orbital service, the
 * environment manager and the SDK registry each hold a platform-admin key to have the gateway mint internal tokens
 * (a Kafka event's tenant, a reconcile loop, the registry's own model calls). An installation makes the keys (the
 * Helm chart's Secret service-keys, the local runtime's state directory) and hands each service its own and the
 * gateway all of them; the gateway creates, at start, each one it does not know yet, on the bootstrap tenant, with
 * the platform-admin role alone. Keys are never logged. One it knows, revoked or not, is left as it is, so an
 * operator's revocation holds across restarts (a new key then needs a new value in the file).
 */
@ApplicationScoped
public class ServiceKeys {

    /** Outcome of one key at start. */
    public enum Outcome {
        CREATED,
        KNOWN,
        NO_TENANT
    }

    private static final Logger LOG = Logger.getLogger(ServiceKeys.class);
    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final long LOCK = 0x6462705f73766b73L;

    private final TenantRepository tenants;
    private final ApiKeyRepository keys;
    private final GatewayConfig config;

    public ServiceKeys(TenantRepository tenants, ApiKeyRepository keys, GatewayConfig config) {
        this.tenants = tenants;
        this.keys = keys;
        this.config = config;
    }

    void onStart(@Observes @Priority(110) StartupEvent event) throws Throwable {
        Optional<Path> dir = config.bootstrap().serviceKeysDir();
        if (dir.isPresent()) {
            ensure(dir.get());
        }
    }

    /** Creates the keys of {@code dir} the gateway does not know yet; each file's outcome, by file name. */
    public java.util.Map<String, Outcome> ensure(Path dir) throws Throwable {
        java.util.Map<String, Outcome> outcomes = new java.util.TreeMap<>();
        if (!Files.isDirectory(dir)) {
            LOG.warnf("no service keys: %s is not a directory", dir);
            return outcomes;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listed = Files.list(dir)) {
            // a mounted Secret also holds ..data and ..<timestamp> entries: its files are links into them
            listed.filter(f -> !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)).sorted()
                    .forEach(files::add);
        }
        for (Path file : files) {
            String service = file.getFileName().toString();
            Optional<ApiKeyCodec.Presented> key;
            try {
                key = ApiKeyCodec.parse(Files.readString(file));
            } catch (IOException e) {
                LOG.warnf("service key %s unreadable: %s", file, e.getMessage());
                continue;
            }
            if (!SERVICE.matcher(service).matches() || key.isEmpty()) {
                LOG.warnf("skipped %s: the file name must be a service name and the content an API key "
                        + "(dbp_<16 hex digits>_<43 base64url characters>)", file);
                continue;
            }
            Outcome outcome = VertxContextSupport.subscribeAndAwait(() -> ensure(service, key.get()));
            outcomes.put(service, outcome);
            switch (outcome) {
                case CREATED -> LOG.infof("created the API key of service %s (id %s, platform-admin) on tenant %s",
                        service, key.get().id(), config.bootstrap().tenant());
                case NO_TENANT -> LOG.warnf("the API key of service %s is not created: there is no tenant %s to hold "
                        + "it (dbp.gateway.bootstrap.tenant)", service, config.bootstrap().tenant());
                case KNOWN -> LOG.debugf("the API key of service %s (id %s) exists", service, key.get().id());
            }
        }
        return outcomes;
    }

    private Uni<Outcome> ensure(String service, ApiKeyCodec.Presented key) {
        String tenant = config.bootstrap().tenant();
        return Panache.withTransaction(() -> Panache.getSession()
                // replicas starting together: one creates the key, the others then find it
                .chain(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(" + LOCK + ")::text")
                        .getSingleResult())
                .chain(() -> keys.byIdForUpdate(key.id()))
                .chain(existing -> existing.isPresent() ? Uni.createFrom().item(Outcome.KNOWN)
                        : tenants.byId(tenant).chain(found -> found.isEmpty() ? Uni.createFrom().item(Outcome.NO_TENANT)
                                : keys.insert(new ApiKey(key.id(), tenant, "service:" + service,
                                        new LinkedHashSet<>(EnumSet.of(Role.PLATFORM_ADMIN)), key.hash(), "bootstrap",
                                        Instant.now(), null, null)).replaceWith(Outcome.CREATED))));
    }
}
