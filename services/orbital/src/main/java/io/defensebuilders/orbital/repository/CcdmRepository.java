package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** What CCDM assessments read (element-set history, nearby objects) and the latest assessment of each object. */
@ApplicationScoped
public class CcdmRepository {

    /** A catalog object's current element set in a view, as a proximity candidate; private: from the overlay. */
    public record Candidate(int noradId, String name, String line1, String line2, boolean fromOverlay) {
    }

    /** The stored latest assessment of an object: what a new one is compared with. */
    public record Latest(UUID id, String threatLevel, List<String> indicatorTypes) {
    }

    /**
     * The newest {@code limit} standing element sets of an object in a view with epochs from {@code since}, in epoch
     * order.
     */
    public Uni<List<io.defensebuilders.orbital.ElementSetRecord>> history(SqlClient c, String viewTenant, int noradId,
            Instant since, int limit) {
        return c.preparedQuery("SELECT * FROM (SELECT " + ElementSetRepository.COLUMNS + " FROM element_set e"
                + " WHERE norad_id = $1 AND epoch >= $2 AND withdrawn_at IS NULL AND "
                + ElementSetRepository.visible("e", "$4") + " ORDER BY epoch DESC LIMIT $3) h ORDER BY epoch")
                .execute(Sql.tuple(noradId, since, limit, viewTenant))
                .map(rows -> Sql.list(rows, r -> ElementSetRepository.map(r, "")));
    }

    /**
     * Objects other than {@code noradId} whose current orbit's perigee-apogee shell comes within the margin of
     * [{@code perigeeKm}, {@code apogeeKm}] (radii, km), with a current epoch in [{@code from}, {@code to}].
     */
    public Uni<List<Candidate>> shell(SqlClient c, String viewTenant, int noradId, double perigeeKm, double apogeeKm,
            double marginKm, Instant from, Instant to) {
        return c.preparedQuery("""
                SELECT norad_id, name, line1, line2, from_overlay FROM (
                    SELECT v.norad_id, v.name, v.e_line1 AS line1, v.e_line2 AS line2, v.e_eccentricity AS ecc,
                           (v.e_overlay_tenant IS NOT NULL OR NOT v.shared) AS from_overlay,
                           cbrt(398600.8 / power(v.e_mean_motion * 2 * pi() / 86400, 2)) AS a
                    FROM (%s) v
                    WHERE v.norad_id <> $2 AND v.e_id IS NOT NULL
                      AND v.e_epoch BETWEEN $6::timestamptz AND $7::timestamptz) s
                WHERE a * (1 - ecc) <= $4::float8 + $5::float8 AND a * (1 + ecc) >= $3::float8 - $5::float8"""
                .formatted(CatalogRepository.VIEW))
                .execute(Sql.tuple(viewTenant, noradId, perigeeKm, apogeeKm, marginKm, from, to))
                .map(rows -> Sql.list(rows, r -> new Candidate(r.getInteger("norad_id"), r.getString("name"),
                        r.getString("line1"), r.getString("line2"), r.getBoolean("from_overlay"))));
    }

    /**
     * Locks and reads the latest assessment of an object in a scope ({@code ""}: made from shared data; else the
     * tenant's), none on a first assessment.
     */
    public Uni<Optional<Latest>> latestForUpdate(SqlClient tx, String scope, int noradId) {
        // FOR UPDATE locks nothing before the first assessment: two first assessments at once (the one after an
        // ingest, one asked for) would both be "changes"; the transaction-scoped advisory lock queues them
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('orbital-ccdm:' || $1::text), $2::int)")
                .execute(Tuple.of(scope, noradId))
                .chain(() -> tx.preparedQuery("SELECT id, threat_level, indicator_types FROM ccdm_assessment"
                        + " WHERE norad_id = $1 AND scope = $2 FOR UPDATE").execute(Tuple.of(noradId, scope)))
                .map(rows -> Sql.first(rows, r -> new Latest(r.getUUID("id"), r.getString("threat_level"),
                        Sql.strings(r, "indicator_types"))));
    }

    /** Stores an assessment as the object's latest in its scope. */
    public Uni<Void> save(SqlClient tx, String scope, int noradId, UUID id, Instant epoch, String threatLevel, String ccdmType,
            double confidence, List<String> indicatorTypes, String bodyJson, Instant at) {
        return tx.preparedQuery("""
                INSERT INTO ccdm_assessment (norad_id, id, epoch, threat_level, ccdm_type, confidence, indicator_types,
                    body, assessed_at, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10)
                ON CONFLICT (scope, norad_id) DO UPDATE SET id = $2, epoch = $3, threat_level = $4, ccdm_type = $5,
                    confidence = $6, indicator_types = $7, body = $8::text::jsonb, assessed_at = $9""")
                .execute(Sql.tuple(noradId, id, epoch, threatLevel, ccdmType, confidence,
                        indicatorTypes.toArray(String[]::new), bodyJson, at, scope))
                .replaceWithVoid();
    }
}
