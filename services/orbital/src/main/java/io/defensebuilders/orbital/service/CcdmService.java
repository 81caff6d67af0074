package io.defensebuilders.orbital.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.jboss.logging.Logger;
import org.orekit.bodies.GeodeticPoint;
import org.orekit.errors.OrekitException;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.ccdm.CcdmAssessor;
import io.defensebuilders.orbital.ccdm.CcdmAssessor.Assessment;
import io.defensebuilders.orbital.ccdm.ProximityFinder;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.orbital.repository.CatalogRepository;
import io.defensebuilders.orbital.repository.CcdmRepository;
import io.defensebuilders.orbital.repository.ManeuverRepository;
import io.defensebuilders.platform.problem.ProblemException;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * CCDM assessments: loads what the catalog holds about an object (history, maneuvers, objects near it), assesses it,
 * keeps the result as the object's latest, and announces a change of threat level or indicators on
 * {@code orbital.ccdm.v1}. Assessed on request and after an ingest finds a maneuver.
 */
@ApplicationScoped
public class CcdmService {

    private static final Logger LOG = Logger.getLogger(CcdmService.class);

    /** An assessment as stored: its id, when, and whether it changed the object's latest. */
    public record Result(UUID id, Instant assessedAt, Assessment assessment, String previousThreatLevel,
            boolean changed) {
    }

    private final Pool pool;
    private final CatalogRepository catalog;
    private final ManeuverService maneuvers;
    private final CcdmRepository repository;
    private final OrbitalEvents events;
    private final OrekitData orekit;
    private final OrbitalConfig.Ccdm config;
    private final CcdmAssessor assessor;
    private final ProximityFinder proximity;
    private final ObjectMapper json;

    public CcdmService(Pool pool, CatalogRepository catalog, ManeuverService maneuvers, CcdmRepository repository,
            OrbitalEvents events, OrekitData orekit, OrbitalConfig config, ObjectMapper json) {
        this.pool = pool;
        this.catalog = catalog;
        this.maneuvers = maneuvers;
        this.repository = repository;
        this.events = events;
        this.orekit = orekit;
        this.config = config.ccdm();
        this.json = json;
        this.assessor = new CcdmAssessor(new CcdmAssessor.Settings(this.config.recentManeuverDays(),
                this.config.proximityKm(), this.config.proximityMinFraction(), this.config.bstarJumpFactor(),
                this.config.bstarFloor(), this.config.patternMinHistory(), this.config.patternSigmas(),
                this.config.gapFactor(), this.config.gapMinDays()));
        this.proximity = new ProximityFinder(orekit.teme(), orekit.utc());
    }

    /**
     * Assesses an object now in the view of {@code viewTenant} (the shared catalog and that tenant's overlay; null:
     * the shared catalog alone), 404 when the view does not hold it; stores it, and announces a change. An assessment
     * made from any of the tenant's own data is that tenant's; one made from shared data only is everyone's.
     */
    @WithSpan
    public Uni<Result> assess(String tenant, String viewTenant, int noradId) {
        return catalog.find(pool, viewTenant, noradId).map(o -> o.orElseThrow(() -> ProblemException.notFound("NORAD id "
                + noradId + " is not in the catalog"))).chain(object -> {
                    boolean own = viewTenant != null && (!object.shared()
                            || (object.current() != null && viewTenant.equals(object.current().overlayTenant())));
                    if (object.current() == null) {
                        return store(tenant, own ? viewTenant : null, object, assessor.assess(noradId, object.name(),
                                object.objectType(), List.of(), List.of(), List.of()));
                    }
                    Instant newest = object.current().elements().epoch();
                    Instant since = newest.minusSeconds((long) (config.lookbackDays() * 86400));
                    double halfWindowS = config.proximityWindowHours() * 3600 / 2;
                    ElementSet current = object.current().elements();
                    double a = CcdmAssessor.semiMajorAxisKm(current.meanMotion());
                    boolean[] ownData = { own };
                    return repository.history(pool, viewTenant, noradId, since, config.maxHistory())
                            .chain(history -> maneuvers.since(viewTenant, noradId, since, 200)
                                    .chain(found -> repository
                                            .shell(pool, viewTenant, noradId, a * (1 - current.eccentricity()),
                                                    a * (1 + current.eccentricity()), config.proximityKm(),
                                                    newest.minus(30, ChronoUnit.DAYS), newest.plus(30, ChronoUnit.DAYS))
                                            .invoke(candidates -> ownData[0] |= viewTenant != null && (history.stream()
                                                    .anyMatch(r -> !r.shared())
                                                    || found.stream()
                                                            .anyMatch(m -> m.overlayTenant() != null)
                                                    || candidates.stream().anyMatch(CcdmRepository.Candidate::fromOverlay)))
                                            .emitOn(Infrastructure.getDefaultWorkerPool())
                                            .map(candidates -> compute(object, history, found, candidates, halfWindowS))))
                            .chain(assessment -> store(tenant, ownData[0] ? viewTenant : null, object, assessment));
                });
    }

    /**
     * After an ingest found maneuvers (or an element set was withdrawn): reassesses those objects in the background,
     * one after the other, in the view of the scope that changed ({@code overlayTenant}; null: the shared catalog).
     */
    public void reassessLater(String tenant, String overlayTenant, Collection<Integer> noradIds) {
        if (noradIds.isEmpty()) {
            return;
        }
        List<Integer> ids = List.copyOf(new java.util.TreeSet<>(noradIds));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Integer id : ids) {
            chain = chain.chain(() -> assess(tenant, overlayTenant, id).onFailure().invoke(e -> LOG.warnf(e,
                    "CCDM reassessment of NORAD %d after a maneuver failed", id)).onFailure().recoverWithNull()
                    .replaceWithVoid());
        }
        chain.subscribe().with(x -> {
        }, e -> LOG.warn("CCDM reassessment failed", e));
    }

    private Assessment compute(CatalogObject object, List<ElementSetRecord> history, List<ManeuverRepository.Stored> found,
            List<CcdmRepository.Candidate> candidates, double halfWindowS) {
        ElementSet current = object.current().elements();
        boolean geo = Regime.of(current.meanMotion(), current.eccentricity()) == Regime.GEO;
        List<CcdmAssessor.Sample> samples = new ArrayList<>(history.size());
        for (ElementSetRecord r : history) {
            samples.add(new CcdmAssessor.Sample(r.elements(), geo ? longitude(r.elements()) : Double.NaN));
        }
        List<CcdmAssessor.Proximity> near = List.of();
        try {
            TLE primary = new TLE(current.line1(), current.line2(), orekit.utc());
            List<ProximityFinder.Candidate> list = new ArrayList<>(candidates.size());
            for (CcdmRepository.Candidate c : candidates) {
                list.add(new ProximityFinder.Candidate(c.noradId(), c.name(),
                        new TLE(c.line1(), c.line2(), orekit.utc())));
            }
            AbsoluteDate start = primary.getDate().shiftedBy(-halfWindowS);
            near = proximity.near(primary, list, start, 2 * halfWindowS, config.proximityKm(),
                    config.proximityMinFraction());
        } catch (OrekitException e) {
            LOG.debugf("no proximity check for NORAD %d: %s", object.noradId(), e.getMessage());
        }
        return assessor.assess(object.noradId(), object.name(), object.objectType() == null ? ObjectType.UNKNOWN
                : object.objectType(), samples, found, near);
    }

    /** Sub-satellite longitude at the element set's epoch, degrees east. */
    private double longitude(ElementSet e) {
        try {
            TLE tle = new TLE(e.line1(), e.line2(), orekit.utc());
            AbsoluteDate epoch = tle.getDate();
            Vector3D teme = TLEPropagator.selectExtrapolator(tle, orekit.teme()).getPVCoordinates(epoch).getPosition();
            Vector3D fixed = orekit.teme().getTransformTo(orekit.itrf(), epoch).transformPosition(teme);
            GeodeticPoint g = orekit.wgs84().transform(fixed, orekit.itrf(), epoch);
            return Math.toDegrees(g.getLongitude());
        } catch (OrekitException ex) {
            return Double.NaN;
        }
    }

    /** Stores an assessment as the latest of its scope ({@code scope}: the tenant it is private to, or null). */
    private Uni<Result> store(String tenant, String scope, CatalogObject object, Assessment a) {
        UUID id = UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<String> types = a.indicators().stream().map(i -> i.type().name()).sorted().toList();
        String body;
        try {
            body = json.writeValueAsString(a);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        String key = scope == null ? "" : scope;
        String announcedFor = scope == null ? tenant : scope;
        return pool.withTransaction(tx -> repository.latestForUpdate(tx, key, a.noradId()).chain(previous -> {
            boolean changed = previous.isEmpty() || !previous.get().threatLevel().equals(a.threatLevel().name())
                    || !previous.get().indicatorTypes().stream().sorted().toList().equals(types);
            String before = previous.map(CcdmRepository.Latest::threatLevel).orElse(null);
            Result result = new Result(id, at, a, before, changed);
            Uni<Void> saved = repository.save(tx, key, a.noradId(), id, a.epoch(), a.threatLevel().name(), a.ccdmType(),
                    a.confidence(), types, body, at);
            if (!changed) {
                return saved.replaceWith(result);
            }
            return saved.chain(() -> events.ccdmChanged(tx, announcedFor, scope, id, a, before, indicators(a), at))
                    .replaceWith(result);
        }));
    }

    /** The indicators as plain maps: the event's and the REST view's shape. */
    public static List<Map<String, Object>> indicators(Assessment a) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CcdmAssessor.Indicator i : a.indicators()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", i.type().name());
            m.put("ccdmType", i.type().ccdmType);
            m.put("confidence", Math.round(i.confidence() * 1000) / 1000.0);
            m.put("summary", i.summary());
            m.put("evidence", i.evidence());
            out.add(m);
        }
        return out;
    }
}
