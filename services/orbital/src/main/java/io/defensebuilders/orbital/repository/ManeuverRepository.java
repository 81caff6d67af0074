package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Classification;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Maneuver;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.maneuvers.ModelOpinion;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Maneuvers found between consecutive element sets, and the pairs of element sets to compare. */
@ApplicationScoped
public class ManeuverRepository {

    /**
     * Two element sets of one object next to each other in epoch order, in a view; {@code beforeScope} and
     * {@code afterScope} are their overlay tenants (null: shared).
     */
    public record Pair(int noradId, String objectName, UUID beforeId, Instant beforeEpoch, String beforeLine1,
            String beforeLine2,
            UUID afterId, Instant afterEpoch, String afterLine1, String afterLine2, String beforeScope,
            String afterScope) {

        /** The same id for the same pair, so re-detection and event redelivery cannot duplicate a maneuver. */
        public UUID maneuverId() {
            return UUID.nameUUIDFromBytes(("maneuver:" + beforeId + ":" + afterId).getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** A stored maneuver; {@code overlayTenant}: the tenant it is private to, null when everyone sees it. */
    public record Stored(UUID id, int noradId, String objectName, UUID beforeId, UUID afterId, Instant windowStart,
            Instant epoch, Maneuver maneuver, String tenant, Instant detectedAt, String overlayTenant,
            ModelOpinion model) {

        public Stored(UUID id, int noradId, String objectName, UUID beforeId, UUID afterId, Instant windowStart,
                Instant epoch, Maneuver maneuver, String tenant, Instant detectedAt) {
            this(id, noradId, objectName, beforeId, afterId, windowStart, epoch, maneuver, tenant, detectedAt, null,
                    null);
        }

        /** The estimated burn time; null when there is none. */
        public Instant burnTime() {
            double s = maneuver.burnAfterS();
            // microseconds, as PostgreSQL keeps it: the event and the API say the same
            return Double.isFinite(s) ? windowStart.plusNanos(Math.round(s * 1e9)).truncatedTo(ChronoUnit.MICROS) : null;
        }
    }

    /** The name the maneuver's viewers know the object by: the shared one, else its tenant's overlay's. */
    private static final String OBJECT_NAME = "COALESCE(c.name, (SELECT o.name FROM overlay_object o"
            + " WHERE o.tenant = m.overlay_tenant AND o.norad_id = m.norad_id)) AS object_name";
    private static final String COLUMNS = "m.id, m.norad_id, " + OBJECT_NAME + ", m.overlay_tenant, m.before_element_set,"
            + " m.after_element_set, m.window_start, m.epoch, m.regime, m.classification, m.delta_v, m.radial,"
            + " m.in_track, m.cross_track, m.delta_sma_km, m.delta_incl_deg, m.plane_change_deg, m.delta_ecc,"
            + " m.position_diff_km, m.confidence, m.significance, m.tenant, m.detected_at, m.burn_time,"
            + " m.burn_uncertainty_s, m.model_name, m.model_classification, m.model_confidence, m.model_version";

    /**
     * The pairs each of these element sets forms with its standing neighbours in its object's history as a view sees
     * it (the shared catalog and the overlay of {@code viewTenant}; null: the shared catalog alone): (previous, it) and
     * (it, next). A pair of two of them appears once. In a tenant's view, element sets of objects the tenant's overlay
     * does not hold are skipped (their pairs are all shared: the shared view's).
     */
    public Uni<List<Pair>> pairsAround(SqlClient c, UUID[] elementSetIds, String viewTenant) {
        String p = ElementSetRepository.visible("p", "$2");
        String n = ElementSetRepository.visible("n", "$2");
        return c.preparedQuery("""
                WITH t AS (SELECT e.id, e.norad_id, e.epoch, e.line1, e.line2, e.overlay_tenant FROM element_set e
                           WHERE e.id = ANY($1) AND e.withdrawn_at IS NULL
                           AND ($2::text IS NULL OR e.overlay_tenant = $2::text OR EXISTS (SELECT 1 FROM element_set x
                               WHERE x.norad_id = e.norad_id AND x.overlay_tenant = $2::text
                               AND x.withdrawn_at IS NULL)))
                SELECT DISTINCT ON (before_id, after_id) pairs.*, COALESCE(c.name, o.name) AS object_name FROM (
                    SELECT t.norad_id, p.id AS before_id, p.epoch AS before_epoch, p.line1 AS before_line1,
                           p.line2 AS before_line2, p.overlay_tenant AS before_scope, t.id AS after_id,
                           t.epoch AS after_epoch, t.line1 AS after_line1, t.line2 AS after_line2,
                           t.overlay_tenant AS after_scope
                    FROM t CROSS JOIN LATERAL (SELECT id, epoch, line1, line2, overlay_tenant FROM element_set p
                        WHERE p.norad_id = t.norad_id AND p.epoch < t.epoch AND p.withdrawn_at IS NULL AND %s
                        ORDER BY p.epoch DESC LIMIT 1) p
                    UNION ALL
                    SELECT t.norad_id, t.id, t.epoch, t.line1, t.line2, t.overlay_tenant, n.id, n.epoch, n.line1,
                           n.line2, n.overlay_tenant
                    FROM t CROSS JOIN LATERAL (SELECT id, epoch, line1, line2, overlay_tenant FROM element_set n
                        WHERE n.norad_id = t.norad_id AND n.epoch > t.epoch AND n.withdrawn_at IS NULL AND %s
                        ORDER BY n.epoch ASC LIMIT 1) n
                ) pairs JOIN catalog_object c USING (norad_id)
                LEFT JOIN overlay_object o ON o.norad_id = pairs.norad_id AND o.tenant = $2::text""".formatted(p, n))
                .execute(Sql.tuple(elementSetIds, viewTenant))
                .map(rows -> Sql.list(rows,
                        r -> new Pair(r.getInteger("norad_id"), r.getString("object_name"), r.getUUID("before_id"),
                                Sql.instant(r, "before_epoch"), r.getString("before_line1"), r.getString("before_line2"),
                                r.getUUID("after_id"), Sql.instant(r, "after_epoch"), r.getString("after_line1"),
                                r.getString("after_line2"), r.getString("before_scope"), r.getString("after_scope"))));
    }

    /**
     * Stores the maneuvers no earlier detection stored, private to {@code overlayTenant} unless it is null; the ids of
     * those it stored.
     */
    public Uni<Set<UUID>> insertNew(SqlClient tx, List<Pair> pairs, List<Maneuver> maneuvers,
            List<ModelOpinion> opinions, String tenant, String overlayTenant, Instant now) {
        int n = pairs.size();
        if (n == 0) {
            return Uni.createFrom().item(Set.of());
        }
        Object[][] columns = {
                new UUID[n], new Integer[n], new UUID[n], new UUID[n], new OffsetDateTime[n], new OffsetDateTime[n],
                new String[n], new String[n], new Double[n], new Double[n], new Double[n], new Double[n],
                new Double[n], new Double[n], new Double[n], new Double[n], new Double[n], new Double[n],
                new Double[n], new OffsetDateTime[n], new Double[n], new String[n], new String[n], new Double[n],
                new String[n] };
        for (int i = 0; i < n; i++) {
            Pair p = pairs.get(i);
            Maneuver m = maneuvers.get(i);
            ModelOpinion opinion = opinions.get(i);
            Object[] row = { p.maneuverId(), p.noradId(), p.beforeId(), p.afterId(), ElementSetRepository.utc(
                    p.beforeEpoch()), ElementSetRepository.utc(p.afterEpoch()), m.regime().name(),
                    m.classification().name(), m.deltaVMs(), m.radialMs(), m.inTrackMs(), m.crossTrackMs(),
                    m.deltaSemiMajorAxisKm(), m.deltaInclinationDeg(), m.planeChangeDeg(), m.deltaEccentricity(),
                    m.positionDifferenceKm(), m.confidence(), m.significance(),
                    Double.isFinite(m.burnAfterS()) ? ElementSetRepository.utc(p.beforeEpoch()
                            .plusNanos(Math.round(m.burnAfterS() * 1e9)).truncatedTo(ChronoUnit.MICROS)) : null,
                    Double.isFinite(m.burnUncertaintyS()) ? m.burnUncertaintyS() : null,
                    opinion == null ? null : opinion.model(), opinion == null ? null : opinion.classification(),
                    opinion == null ? null : opinion.confidence(), opinion == null ? null : opinion.version() };
            for (int col = 0; col < row.length; col++) {
                columns[col][i] = row[col];
            }
        }
        List<Object> values = new ArrayList<>(Arrays.asList((Object[]) columns));
        values.add(tenant);
        values.add(ElementSetRepository.utc(now));
        values.add(overlayTenant);
        return tx.preparedQuery("""
                INSERT INTO maneuver (id, norad_id, before_element_set, after_element_set, window_start, epoch, regime,
                    classification, delta_v, radial, in_track, cross_track, delta_sma_km, delta_incl_deg,
                    plane_change_deg, delta_ecc, position_diff_km, confidence, significance, burn_time,
                    burn_uncertainty_s, model_name, model_classification, model_confidence, model_version, tenant,
                    detected_at, overlay_tenant)
                SELECT u.*, $26, $27, $28::text FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::timestamptz[],
                    $6::timestamptz[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::float8[],
                    $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], $17::float8[],
                    $18::float8[], $19::float8[], $20::timestamptz[], $21::float8[], $22::text[], $23::text[],
                    $24::float8[], $25::text[]) AS u
                ON CONFLICT DO NOTHING RETURNING id""")
                .execute(Tuple.from(values))
                .map(rows -> {
                    Set<UUID> ids = new HashSet<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    /**
     * Marks superseded the maneuvers of these objects whose window now holds another standing element set of their
     * view (a late arrival split the pair, and the finer pairs tell what happened), and those built on a withdrawn
     * element set. A shared maneuver's view is the shared catalog; a private one's, its tenant's. Returns the
     * maneuvers it marked.
     */
    public Uni<List<Stored>> supersedeSplit(SqlClient tx, Integer[] noradIds) {
        return tx.preparedQuery("UPDATE maneuver m SET superseded = true FROM catalog_object c"
                + " WHERE c.norad_id = m.norad_id AND m.norad_id = ANY($1) AND NOT m.superseded"
                + " AND (EXISTS (SELECT 1 FROM element_set e WHERE e.norad_id = m.norad_id AND e.withdrawn_at IS NULL"
                + "   AND (e.overlay_tenant IS NULL OR e.overlay_tenant = m.overlay_tenant)"
                + "   AND e.epoch > m.window_start AND e.epoch < m.epoch)"
                + " OR EXISTS (SELECT 1 FROM element_set w WHERE w.id IN (m.before_element_set, m.after_element_set)"
                + "   AND w.withdrawn_at IS NOT NULL)) RETURNING " + COLUMNS)
                .execute(Tuple.of((Object) noradIds)).map(rows -> Sql.list(rows, ManeuverRepository::map));
    }

    /** One page of an object's maneuvers in a view, newest epoch first, keyset on (epoch, id). */
    public Uni<List<Stored>> ofObject(SqlClient c, String viewTenant, int noradId, Instant since, Instant afterEpoch,
            UUID afterId, int limit) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM maneuver m JOIN catalog_object c USING (norad_id)"
                + " WHERE m.norad_id = $1 AND NOT m.superseded AND ($2::timestamptz IS NULL OR m.epoch >= $2)"
                + " AND ($3::timestamptz IS NULL OR (m.epoch, m.id) < ($3, $4)) AND " + ElementSetRepository.visible("m", "$6")
                + " ORDER BY m.epoch DESC, m.id DESC LIMIT $5")
                .execute(Sql.tuple(noradId, since, afterEpoch, afterId, limit, viewTenant))
                .map(ManeuverRepository::list);
    }

    /** One page of every maneuver of a view, newest epoch first, keyset on (epoch, id). */
    public Uni<List<Stored>> recent(SqlClient c, String viewTenant, Instant since, Instant afterEpoch, UUID afterId,
            int limit) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM maneuver m JOIN catalog_object c USING (norad_id)"
                + " WHERE NOT m.superseded AND ($1::timestamptz IS NULL OR m.epoch >= $1)"
                + " AND ($2::timestamptz IS NULL OR (m.epoch, m.id) < ($2, $3)) AND " + ElementSetRepository.visible("m", "$5")
                + " ORDER BY m.epoch DESC, m.id DESC LIMIT $4")
                .execute(Sql.tuple(since, afterEpoch, afterId, limit, viewTenant))
                .map(ManeuverRepository::list);
    }

    private static List<Stored> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        return Sql.list(rows, ManeuverRepository::map);
    }

    /** Seconds from the window start to the estimated burn; NaN when there is no estimate. */
    private static double burnAfter(Row r, Instant start) {
        Instant burn = Sql.instant(r, "burn_time");
        return burn == null ? Double.NaN : java.time.Duration.between(start, burn).toNanos() / 1e9;
    }

    private static Stored map(Row r) {
        Instant start = Sql.instant(r, "window_start");
        Instant epoch = Sql.instant(r, "epoch");
        Maneuver m = new Maneuver(Regime.valueOf(r.getString("regime")),
                (epoch.toEpochMilli() - start.toEpochMilli()) / 86_400_000.0, r.getDouble("delta_v"),
                r.getDouble("radial"), r.getDouble("in_track"), r.getDouble("cross_track"),
                r.getDouble("delta_sma_km"), r.getDouble("delta_incl_deg"), r.getDouble("plane_change_deg"),
                r.getDouble("delta_ecc"), r.getDouble("position_diff_km"),
                Classification.valueOf(r.getString("classification")), r.getDouble("confidence"),
                r.getDouble("significance"), burnAfter(r, start), r.getDouble("burn_uncertainty_s") == null ? Double.NaN
                        : r.getDouble("burn_uncertainty_s"));
        return new Stored(r.getUUID("id"), r.getInteger("norad_id"), r.getString("object_name"),
                r.getUUID("before_element_set"), r.getUUID("after_element_set"), start, epoch, m,
                r.getString("tenant"), Sql.instant(r, "detected_at"), r.getString("overlay_tenant"), opinion(r));
    }

    /** The model's opinion stored with a maneuver; null when none was given. */
    private static ModelOpinion opinion(Row r) {
        String classification = r.getString("model_classification");
        return classification == null ? null
                : new ModelOpinion(r.getString("model_name"), r.getString("model_version"), classification,
                        r.getDouble("model_confidence"));
    }
}
