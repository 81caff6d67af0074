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

import org.orekit.errors.OrekitException;
import org.orekit.propagation.analytical.tle.TLE;

import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Maneuver;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Thresholds;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.orbital.repository.ManeuverRepository;
import io.defensebuilders.orbital.repository.ManeuverRepository.Pair;
import io.defensebuilders.orbital.repository.ManeuverRepository.Stored;
import io.defensebuilders.platform.problem.ProblemException;
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
    private final OrbitalEvents events;
    private final OrekitData orekit;
    private final ManeuverDetector detector;
    private final OrbitalConfig config;

    public ManeuverService(Pool pool, ManeuverRepository maneuvers, OrbitalEvents events, OrekitData orekit,
            OrbitalConfig config) {
        this.pool = pool;
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
     * Compares the element sets just stored in {@code tx} with their neighbours and stores and announces the
     * maneuvers no earlier comparison found; those are returned.
     */
    public Uni<List<Stored>> detectAround(SqlClient tx, List<UUID> storedIds, String tenant, Instant now) {
        if (storedIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return maneuvers.pairsAround(tx, storedIds.toArray(UUID[]::new))
                .call(pairs -> maneuvers.supersedeSplit(tx, pairs.stream().map(Pair::noradId).distinct()
                        .toArray(Integer[]::new)).chain(withdrawn -> events.maneuversSuperseded(tx, withdrawn, now)))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(this::detect)
                .chain(found -> {
                    List<Pair> pairs = found.stream().map(Found::pair).toList();
                    List<Maneuver> ms = found.stream().map(Found::maneuver).toList();
                    return maneuvers.insertNew(tx, pairs, ms, tenant, now).chain(inserted -> {
                        List<Stored> stored = new ArrayList<>();
                        for (Found f : found) {
                            Pair p = f.pair();
                            if (inserted.contains(p.maneuverId())) {
                                stored.add(new Stored(p.maneuverId(), p.noradId(), p.objectName(), p.beforeId(),
                                        p.afterId(), p.beforeEpoch(), p.afterEpoch(), f.maneuver(), tenant, now));
                            }
                        }
                        return events.maneuversDetected(tx, stored).replaceWith(stored);
                    });
                });
    }

    private record Found(Pair pair, Maneuver maneuver) {
    }

    /** SGP4 for every pair, on all cores: a catalog-wide upload compares tens of thousands of pairs. */
    private List<Found> detect(List<Pair> pairs) {
        return IntStream.range(0, pairs.size()).parallel().mapToObj(i -> {
            Pair p = pairs.get(i);
            try {
                TLE before = new TLE(p.beforeLine1(), p.beforeLine2(), orekit.utc());
                TLE after = new TLE(p.afterLine1(), p.afterLine2(), orekit.utc());
                Optional<Maneuver> m = detector.detect(before, after);
                return m.map(x -> new Found(p, x)).orElse(null);
            } catch (OrekitException | IllegalArgumentException e) {
                return null; // stored element sets are valid TLEs; one SGP4 cannot initialise is not comparable
            }
        }).filter(java.util.Objects::nonNull).toList();
    }

    /** One page of maneuvers: of one object ({@code noradId} set) or of the whole catalog, newest first. */
    public Uni<CatalogService.Page<Stored>> list(Integer noradId, String sinceText, String limitText, String cursor) {
        Instant since = null;
        if (sinceText != null && !sinceText.isBlank()) {
            try {
                since = java.time.OffsetDateTime.parse(sinceText.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("since", "must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T00:00:00Z");
            }
        }
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        String kind = noradId == null ? "maneuvers" : "maneuvers-" + noradId;
        Instant afterEpoch = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = Cursors.decode(kind, cursor).split("\\|", 2);
                afterEpoch = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (DateTimeParseException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
            }
        }
        Uni<List<Stored>> rows = noradId == null
                ? maneuvers.recent(pool, since, afterEpoch, afterId, limit + 1)
                : maneuvers.ofObject(pool, noradId, since, afterEpoch, afterId, limit + 1);
        return rows.map(list -> {
            boolean more = list.size() > limit;
            List<Stored> page = more ? list.subList(0, limit) : list;
            String next = more ? Cursors.encode(kind, page.getLast().epoch() + "|" + page.getLast().id()) : null;
            return new CatalogService.Page<>(page, next);
        });
    }

    /** Maneuvers of one object with epochs in [from, now], newest first: evidence for CCDM. */
    public Uni<List<Stored>> since(int noradId, Instant from, int limit) {
        return maneuvers.ofObject(pool, noradId, from, null, null, limit);
    }
}
