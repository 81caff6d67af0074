package io.defensebuilders.registry.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.RegistryV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.events.Outbox;
import io.defensebuilders.registry.Sdk;
import io.defensebuilders.registry.config.RegistryConfig;
import io.defensebuilders.registry.repository.SessionOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The events this service emits, written to the outbox inside the transaction of the change they report. */
@ApplicationScoped
public class RegistryEvents {

    private final Outbox outbox;
    private final SessionOutbox sessionOutbox;
    private final String source;

    public RegistryEvents(Outbox outbox, SessionOutbox sessionOutbox, RegistryConfig config) {
        this.outbox = outbox;
        this.sessionOutbox = sessionOutbox;
        this.source = config.eventSource();
    }

    /** {@code registry.v1}: {@code type} is one of the {@link RegistryV1} type constants. */
    public Uni<Void> registry(SqlClient tx, String type, Sdk sdk, String version, String actor, String reason,
            Instant at) {
        return outbox.append(tx, Topics.REGISTRY_V1, registryEvent(type, sdk, version, actor, reason, at));
    }

    /** {@link #registry}, inside the current Panache transaction (for a change made through Hibernate Reactive). */
    public Uni<Void> registryInSession(String type, Sdk sdk, String version, String actor, String reason, Instant at) {
        return sessionOutbox.append(Topics.REGISTRY_V1, registryEvent(type, sdk, version, actor, reason, at));
    }

    private CloudEvent<RegistryV1> registryEvent(String type, Sdk sdk, String version, String actor, String reason,
            Instant at) {
        RegistryV1 data = new RegistryV1(sdk.tenant(), sdk.name(), version, sdk.publisher(), sdk.visibility().dbValue(),
                actor, reason, at);
        String subject = version == null ? sdk.name() : sdk.name() + "@" + version;
        return CloudEvent.of(UUID.randomUUID().toString(), source, type, sdk.tenant(), subject, at, data);
    }

    /** {@code usage.v1} meter {@code artifact.download}, billed to the downloading tenant. */
    public Uni<Void> download(SqlClient tx, String callerTenant, String callerSubject, Sdk sdk, String version,
            long bytes, Instant at) {
        UsageV1 data = new UsageV1(callerTenant, UsageV1.ARTIFACT_DOWNLOAD, BigDecimal.ONE, callerSubject, at,
                Map.of("sdk", sdk.name(), "version", version, "ownerTenant", sdk.tenant(), "bytes", Long.toString(bytes)));
        return outbox.append(tx, Topics.USAGE_V1, CloudEvent.of(UUID.randomUUID().toString(), source, UsageV1.TYPE,
                callerTenant, sdk.name() + "@" + version, at, data));
    }
}
