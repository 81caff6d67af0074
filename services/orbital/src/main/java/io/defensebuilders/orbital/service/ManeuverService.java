package io.defensebuilders.orbital.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.hipparchus.util.FastMath;
import org.orekit.errors.OrekitException;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;

import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.Page;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Maneuver;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Thresholds;
import io.defensebuilders.orbital.maneuvers.ModelOpinion;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.orbital.repository.ElementSetRepository;
import io.defensebuilders.orbital.repository.ManeuverRepository;
import io.defensebuilders.orbital.repository.ManeuverRepository.Pair;
import io.defensebuilders.orbital.repository.ManeuverRepository.Stored;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.Params;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Maneuver detection as element sets arrive: each stored element set is compared with its neighbours in its object's
 * history (the one before it and, for a late arrival, the one after), inside the ingest transaction, and what is
 * found is stored and announced on {@code orbital.maneuvers.v1}.
 */
@ApplicationScoped
public class ManeuverService {

    private final Pool pool;
    private final ManeuverRepository maneuvers;
    private final ElementSetRepository elementSets;
    private final OrbitalEvents events;
    private final OrekitData orekit;
    private final ManeuverDetector detector;
    private final ManeuverModel model;
    private final OrbitalConfig config;

    public ManeuverService(Pool pool, ManeuverRepository maneuvers, ElementSetRepository elementSets,
            OrbitalEvents events, OrekitData orekit, ManeuverModel model, OrbitalConfig config) {
        this.pool = pool;
        this.model = model;
        this.elementSets = elementSets;
        this.maneuvers = maneuvers;
        this.events = events;
        this.orekit = orekit;
        this.config = config;
        Map<Regime, Thresholds> thresholds = thresholds(config.maneuvers());
        double maxGap = config.maneuvers().maxGapDays();
        this.detector = new ManeuverDetector(orekit.teme(), new ManeuverDetector.Settings() {
            @Override
            public Thresholds thresholds(Regime regime) {
                return thresholds.get(regime);
            }

            @Override
            public double maxGapDays() {
                return maxGap;
            }
        });
    }

    /** The thresholds in force: the defaults with the configured overrides. Fails at startup on an unknown regime. */
    static Map<Regime, Thresholds> thresholds(OrbitalConfig.Maneuvers config) {
        Map<Regime, Thresholds> out = new EnumMap<>(Regime.class);
        for (Regime r : Regime.values()) {
            out.put(r, Thresholds.defaults(r));
        }
        config.thresholds().forEach((name, o) -> {
            Regime r;
            try {
                r = Regime.valueOf(name.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dbp.orbital.maneuvers.thresholds." + name
                        + ": not a regime (leo, meo, geo, heo)");
            }
            Thresholds d = out.get(r);
            out.put(r, new Thresholds(o.semiMajorAxisKm().orElse(d.semiMajorAxisKm()),
                    o.perDaySemiMajorAxisKm().orElse(d.perDaySemiMajorAxisKm()), o.planeDeg().orElse(d.planeDeg()),
                    o.perDayPlaneDeg().orElse(d.perDayPlaneDeg()), o.eccentricity().orElse(d.eccentricity()),
                    o.perDayEccentricity().orElse(d.perDayEccentricity()),
                    o.stationKeepingMaxMs().orElse(d.stationKeepingMaxMs()),
                    o.altitudeChangeKm().orElse(d.altitudeChangeKm())));
        });
        return out;
    }

    /**
     * Compares the element sets just stored in {@code tx} (all of one scope: shared when {@code overlay} is null, else
     * that tenant's overlay) with their neighbours and stores and announces the maneuvers no earlier comparison found;
     * those are returned. Shared element sets are compared in the shared catalog (maneuvers everyone sees) and in the
     * view of each tenant with an overlay of the object (that tenant's maneuvers, for pairs with one of its own
     * element sets); a tenant's element sets in that tenant's view only. What is found is also put to the maneuver
     * model ({@link ManeuverModel}) with {@code token}, the caller's (null: none, as for Kafka's element sets).
     */
    public Uni<List<Stored>> detectAround(SqlClient tx, List<UUID> storedIds, Integer[] noradIds, String overlay,
            String tenant, String token, Instant now) {
        if (storedIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] anchors = storedIds.toArray(UUID[]::new);
        return supersede(tx, noradIds, now).chain(() -> views(tx, noradIds, overlay))
                .chain(views -> inViews(tx, views, view -> Uni.createFrom().item(anchors), tenant, token, now));
    }

    /**
     * After an element set was withdrawn: supersedes the maneuvers built on it, and compares the element sets it
     * separated in every view that held it.
     */
    public Uni<List<Stored>> afterWithdrawal(SqlClient tx, ElementSetRecord withdrawn, String token, Instant now) {
        int norad = withdrawn.elements().noradId();
        Integer[] norads = { norad };
        String tenant = withdrawn.withdrawal() == null ? withdrawn.tenant() : withdrawn.withdrawal().tenant();
        return supersede(tx, norads, now).chain(() -> views(tx, norads, withdrawn.overlayTenant()))
                .chain(views -> inViews(tx, views, view -> elementSets.neighbours(tx, norad,
                        withdrawn.elements().epoch(), view).map(ids -> ids.toArray(UUID[]::new)), tenant, token, now));
    }

    private Uni<Void> supersede(SqlClient tx, Integer[] noradIds, Instant now) {
        return maneuvers.supersedeSplit(tx, noradIds).chain(withdrawn -> events.maneuversSuperseded(tx, withdrawn, now));
    }

    /** The views a change of this scope touches: a tenant's own, or the shared one and every overlay of the objects. */
    private Uni<List<String>> views(SqlClient tx, Integer[] noradIds, String overlay) {
        if (overlay != null) {
            return Uni.createFrom().item(List.of(overlay));
        }
        return elementSets.overlayTenants(tx, noradIds).map(tenants -> {
            List<String> views = new ArrayList<>();
            views.add(null);
            views.addAll(tenants);
            return views;
        });
    }

    /** Runs the comparison in each view in turn (one transaction, one statement at a time). */
    private Uni<List<Stored>> inViews(SqlClient tx, List<String> views,
            java.util.function.Function<String, Uni<UUID[]>> anchors, String tenant, String token, Instant now) {
        List<Stored> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String view : views) {
            chain = chain.chain(() -> anchors.apply(view)
                    .chain(ids -> ids.length == 0 ? Uni.createFrom().item(List.<Stored> of())
                            : inView(tx, ids, view, view == null ? tenant : view, token, now))
                    .invoke(all::addAll).replaceWithVoid());
        }
        return chain.map(x -> List.copyOf(all));
    }

    /**
     * Compares the anchors with their neighbours in one view and stores what is new. In a tenant's view only pairs
     * with one of the tenant's own element sets count (pairs of two shared ones are the shared view's).
     */
    private Uni<List<Stored>> inView(SqlClient tx, UUID[] anchors, String view, String tenant, String token,
            Instant now) {
        return maneuvers.pairsAround(tx, anchors, view)
                .map(pairs -> view == null ? pairs
                        : pairs.stream()
                                .filter(p -> view.equals(p.beforeScope()) || view.equals(p.afterScope())).toList())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(this::detect)
                .map(found -> withOpinions(found, tenant, token))
                .chain(found -> {
                    List<Pair> pairs = found.stream().map(Found::pair).toList();
                    List<Maneuver> ms = found.stream().map(Found::maneuver).toList();
                    List<ModelOpinion> opinions = found.stream().map(Found::opinion).toList();
                    return maneuvers.insertNew(tx, pairs, ms, opinions, tenant, view, now).chain(inserted -> {
                        List<Stored> stored = new ArrayList<>();
                        for (Found f : found) {
                            Pair p = f.pair();
                            if (inserted.contains(p.maneuverId())) {
                                stored.add(new Stored(p.maneuverId(), p.noradId(), p.objectName(), p.beforeId(),
                                        p.afterId(), p.beforeEpoch(), p.afterEpoch(), f.maneuver(), tenant, now, view,
                                        f.opinion()));
                            }
                        }
                        return events.maneuversDetected(tx, stored).replaceWith(stored);
                    });
                });
    }

    private record Found(Pair pair, Maneuver maneuver, double semiMajorAxisKm, ModelOpinion opinion) {
    }

    /** The maneuver model's opinion of each found maneuver, in one call (none when it is off or does not answer). */
    private List<Found> withOpinions(List<Found> found, String tenant, String token) {
        List<ModelOpinion> opinions = model.classify(found.stream().map(Found::maneuver).toList(),
                found.stream().map(Found::semiMajorAxisKm).toList(), tenant, token);
        List<Found> out = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            out.add(new Found(f.pair(), f.maneuver(), f.semiMajorAxisKm(), opinions.get(i)));
        }
        return out;
    }

    /** SGP4 for every pair, on all cores: a catalog-wide upload compares tens of thousands of pairs. */
    private List<Found> detect(List<Pair> pairs) {
        return IntStream.range(0, pairs.size()).parallel().mapToObj(i -> {
            Pair p = pairs.get(i);
            try {
                TLE before = new TLE(p.beforeLine1(), p.beforeLine2(), orekit.utc());
                TLE after = new TLE(p.afterLine1(), p.afterLine2(), orekit.utc());
                Optional<Maneuver> m = detector.detect(before, after);
                // the later orbit's mean semi-major axis from its mean motion (Orekit holds it in rad/s)
                double aKm = FastMath.cbrt(TLEPropagator.getMU() / (after.getMeanMotion() * after.getMeanMotion()))
                        / 1000;
                return m.map(x -> new Found(p, x, aKm, null)).orElse(null);
            } catch (OrekitException | IllegalArgumentException e) {
                return null; // stored element sets are valid TLEs; one SGP4 cannot initialise is not comparable
            }
        }).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * One page of the maneuvers a tenant's view shows (the shared ones and its own): of one object ({@code noradId}
     * set) or of every object, newest first.
     */
    public Uni<Page<Stored>> list(String viewTenant, Integer noradId, String sinceText, String limitText,
            String cursor) {
        Instant since = Params.instant("since", sinceText);
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        String kind = noradId == null ? "maneuvers" : "maneuvers-" + noradId;
        Instant afterEpoch = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = Cursors.decode(kind, cursor).split("\\|", 2);
                afterEpoch = Params.inRange("cursor", Instant.parse(parts[0]));
                afterId = UUID.fromString(parts[1]);
            } catch (DateTimeParseException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
            }
        }
        Uni<List<Stored>> rows = noradId == null
                ? maneuvers.recent(pool, viewTenant, since, afterEpoch, afterId, limit + 1)
                : maneuvers.ofObject(pool, viewTenant, noradId, since, afterEpoch, afterId, limit + 1);
        return rows.map(list -> {
            boolean more = list.size() > limit;
            List<Stored> page = more ? list.subList(0, limit) : list;
            String next = more ? Cursors.encode(kind, page.getLast().epoch() + "|" + page.getLast().id()) : null;
            return new Page<>(page, next);
        });
    }

    /** Maneuvers of one object in a view with epochs from {@code from}, newest first: evidence for CCDM. */
    public Uni<List<Stored>> since(String viewTenant, int noradId, Instant from, int limit) {
        return maneuvers.ofObject(pool, viewTenant, noradId, from, null, null, limit);
    }
}
