package io.defensebuilders.orbital.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalCatalogV1;
import io.defensebuilders.contracts.events.OrbitalCcdmV1;
import io.defensebuilders.contracts.events.OrbitalConjunctionsV1;
import io.defensebuilders.contracts.events.OrbitalManeuversV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.repository.ManeuverRepository;
import io.defensebuilders.orbital.repository.ScreeningRepository;
import io.defensebuilders.platform.events.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The events this service emits, written to the outbox inside the transaction of the change they report. Events about
 * the shared catalog have the configured {@code source}; events about a tenant's private overlay (its element sets,
 * the maneuvers and CCDM assessments made from them) have the source {@code <source>/tenants/<tenant>} and that tenant
 * in {@code tenant}, so consumers (the alert stream) can keep them to that tenant.
 */
@ApplicationScoped
public class OrbitalEvents {

    private final Outbox outbox;
    private final String source;

    public OrbitalEvents(Outbox outbox, OrbitalConfig config) {
        this.outbox = outbox;
        this.source = config.eventSource();
    }

    /** The source of events about the shared catalog ({@code overlayTenant} null) or about a tenant's overlay. */
    public static String source(String base, String overlayTenant) {
        return overlayTenant == null ? base : base + PRIVATE_SOURCE + overlayTenant;
    }

    /** What follows the base source in the source of a tenant's private events, before the tenant. */
    public static final String PRIVATE_SOURCE = "/tenants/";

    /** {@code orbital.catalog.v1}: a new element set was stored; the event id is the element set's id. */
    public Uni<Void> elementSetStored(SqlClient tx, ElementSetRecord r, boolean current) {
        var e = r.elements();
        OrbitalCatalogV1 data = new OrbitalCatalogV1(r.tenant(), e.noradId(), r.id().toString(), e.epoch(), current,
                e.name(), e.format().wire(), r.ingestedAt());
        return outbox.append(tx, Topics.ORBITAL_CATALOG_V1, CloudEvent.of(r.id().toString(),
                source(source, r.overlayTenant()), OrbitalCatalogV1.ELEMENT_SET_INGESTED, owner(r),
                Integer.toString(e.noradId()), r.ingestedAt(), data));
    }

    /** CloudEvent type of {@link #elementSetWithdrawn} (data {@code OrbitalCatalogV1}). */
    public static final String ELEMENT_SET_WITHDRAWN = "io.defensebuilders.orbital.v1.element-set.withdrawn";

    /**
     * {@code orbital.catalog.v1}: an element set was withdrawn. The data is the element set's ({@code tenant}: who
     * ingested it, {@code current} false, {@code occurredAt} the withdrawal); the id is derived from the element set's,
     * so an element set is withdrawn once.
     */
    public Uni<Void> elementSetWithdrawn(SqlClient tx, ElementSetRecord r) {
        var e = r.elements();
        Instant at = r.withdrawal().at();
        OrbitalCatalogV1 data = new OrbitalCatalogV1(r.tenant(), e.noradId(), r.id().toString(), e.epoch(), false,
                e.name(), e.format().wire(), at);
        String id = java.util.UUID.nameUUIDFromBytes(("withdrawn:" + r.id()).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();
        return outbox.append(tx, Topics.ORBITAL_CATALOG_V1, CloudEvent.of(id, source(source, r.overlayTenant()),
                ELEMENT_SET_WITHDRAWN, owner(r), Integer.toString(e.noradId()), at, data));
    }

    /** The envelope tenant: the overlay's owner, or for a shared element set the tenant that ingested it. */
    private static String owner(ElementSetRecord r) {
        return r.overlayTenant() == null ? r.tenant() : r.overlayTenant();
    }

    /** {@code orbital.maneuvers.v1}: one event per maneuver found; the event id is the maneuver's id. */
    public Uni<Void> maneuversDetected(SqlClient tx, java.util.List<ManeuverRepository.Stored> found) {
        return maneuvers(tx, found, OrbitalManeuversV1.MANEUVER_DETECTED, null);
    }

    /**
     * {@code orbital.maneuvers.v1}: maneuvers withdrawn because a late element set split their pair; the same data as
     * when they were detected, a type of their own, an id derived from the maneuver's (one withdrawal per maneuver).
     */
    public Uni<Void> maneuversSuperseded(SqlClient tx, java.util.List<ManeuverRepository.Stored> withdrawn,
            java.time.Instant at) {
        return maneuvers(tx, withdrawn, OrbitalManeuversV1.MANEUVER_SUPERSEDED, at);
    }

    private Uni<Void> maneuvers(SqlClient tx, java.util.List<ManeuverRepository.Stored> list, String type,
            java.time.Instant supersededAt) {
        if (list.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<Uni<Void>> appends = new java.util.ArrayList<>(list.size());
        for (ManeuverRepository.Stored s : list) {
            var m = s.maneuver();
            OrbitalManeuversV1 data = new OrbitalManeuversV1(s.tenant(), s.id().toString(),
                    Integer.toString(s.noradId()), s.noradId(), s.objectName(), s.epoch(), s.windowStart(), m.deltaVMs(),
                    m.radialMs(), m.inTrackMs(), m.crossTrackMs(), m.deltaSemiMajorAxisKm(), m.deltaInclinationDeg(),
                    m.classification().name(), m.regime().name(), m.confidence(), s.beforeId().toString(),
                    s.afterId().toString(), s.detectedAt(), s.burnTime(),
                    Double.isFinite(m.burnUncertaintyS()) ? m.burnUncertaintyS() : null,
                    s.model() == null ? null
                            : new OrbitalManeuversV1.ModelOpinion(s.model().model(), s.model().version(),
                                    s.model().classification(), s.model().confidence()));
            String id = supersededAt == null ? s.id().toString()
                    : java.util.UUID
                            .nameUUIDFromBytes(("superseded:" + s.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toString();
            appends.add(outbox.append(tx, Topics.ORBITAL_MANEUVERS_V1, CloudEvent.of(id,
                    source(source, s.overlayTenant()), type, s.tenant(),
                    Integer.toString(s.noradId()), supersededAt == null ? s.detectedAt() : supersededAt, data)));
        }
        return Uni.join().all(appends).usingConcurrencyOf(64).andFailFast().replaceWithVoid();
    }

    /**
     * {@code orbital.ccdm.v1}: an object's assessment changed; the event id is the assessment's id. {@code scope}: the
     * tenant it is private to (made from its overlay), or null.
     */
    public Uni<Void> ccdmChanged(SqlClient tx, String tenant, String scope, java.util.UUID id,
            io.defensebuilders.orbital.ccdm.CcdmAssessor.Assessment a, String previousLevel,
            java.util.List<java.util.Map<String, Object>> indicators, java.time.Instant at) {
        OrbitalCcdmV1 data = new OrbitalCcdmV1(tenant, id.toString(), Integer.toString(a.noradId()), a.noradId(),
                a.objectName(), a.epoch(), a.ccdmType(), a.threatLevel().name(), a.confidence(), previousLevel,
                indicators, at);
        return outbox.append(tx, Topics.ORBITAL_CCDM_V1, CloudEvent.of(id.toString(), source(source, scope),
                OrbitalCcdmV1.ASSESSMENT_CHANGED, tenant, Integer.toString(a.noradId()), at, data));
    }

    /** {@code orbital.conjunctions.v1}: one event per conjunction a screening found; the event id is its id. */
    public Uni<Void> conjunctionsFound(SqlClient tx, ScreeningRepository.Screening s,
            java.util.List<ScreeningRepository.Conjunction> found, java.time.Instant at) {
        if (found.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<Uni<Void>> appends = new java.util.ArrayList<>(found.size());
        for (ScreeningRepository.Conjunction c : found) {
            OrbitalConjunctionsV1 data = new OrbitalConjunctionsV1(s.tenant(), s.id().toString(), c.id().toString(),
                    c.primaryNorad(), c.primaryName(), c.secondaryNorad(), c.secondaryName(), c.tca(), c.missKm(),
                    c.relativeSpeedKmS(), c.pc(), at);
            appends.add(outbox.append(tx, Topics.ORBITAL_CONJUNCTIONS_V1, CloudEvent.of(c.id().toString(),
                    source, OrbitalConjunctionsV1.CONJUNCTION_FOUND, s.tenant(), s.id().toString(), at, data)));
        }
        return Uni.join().all(appends).usingConcurrencyOf(64).andFailFast().replaceWithVoid();
    }
}
