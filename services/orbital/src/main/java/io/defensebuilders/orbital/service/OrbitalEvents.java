package io.defensebuilders.orbital.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalCatalogV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.platform.events.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The events this service emits, written to the outbox inside the transaction of the change they report. */
@ApplicationScoped
public class OrbitalEvents {

    private final Outbox outbox;
    private final String source;

    public OrbitalEvents(Outbox outbox, OrbitalConfig config) {
        this.outbox = outbox;
        this.source = config.eventSource();
    }

    /** {@code orbital.catalog.v1}: a new element set was stored; the event id is the element set's id. */
    public Uni<Void> elementSetStored(SqlClient tx, ElementSetRecord r, boolean current) {
        var e = r.elements();
        OrbitalCatalogV1 data = new OrbitalCatalogV1(r.tenant(), e.noradId(), r.id().toString(), e.epoch(), current,
                e.name(), e.format().wire(), r.ingestedAt());
        return outbox.append(tx, Topics.ORBITAL_CATALOG_V1, CloudEvent.of(r.id().toString(), source,
                OrbitalCatalogV1.ELEMENT_SET_INGESTED, r.tenant(), Integer.toString(e.noradId()), r.ingestedAt(), data));
    }
}
