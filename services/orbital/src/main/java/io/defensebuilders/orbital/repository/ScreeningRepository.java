package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Screening jobs and the conjunctions they found (protected assets: {@link ProtectedAssetRepository}). */
@ApplicationScoped
public class ScreeningRepository {

    /** A screening job. {@code primaries} null: the whole catalog. */
    public record Screening(UUID id, String tenant, String createdBy, String origin, String status, int progress,
            List<Integer> primaries, Instant windowStart, double windowDays, double thresholdKm, Integer objects,
            Integer skipped, Integer conjunctionCount, String error, Instant createdAt, Instant startedAt,
            Instant finishedAt) {
    }

    /** A stored conjunction; states TEME at TCA, km and km/s. */
    public record Conjunction(UUID id, UUID screeningId, int primaryNorad, String primaryName, Instant primaryEpoch,
            double[] primaryState, int secondaryNorad, String secondaryName, Instant secondaryEpoch,
            double[] secondaryState, Instant tca, double missKm, double relativeSpeedKmS, double radialKm,
            double inTrackKm, double crossTrackKm, double pc) {
    }

    /** Sort orders of a conjunction list: Pc highest first, or miss distance smallest first; ties by id. */
    public enum Sort {
        PC("pc DESC, id", "(pc < $2 OR (pc = $2 AND id > $3))"),
        MISS("miss_km, id", "(miss_km > $2 OR (miss_km = $2 AND id > $3))");

        final String order;
        final String after;

        Sort(String order, String after) {
            this.order = order;
            this.after = after;
        }

        public double key(Conjunction c) {
            return this == PC ? c.pc() : c.missKm();
        }
    }

    private static final String SCREENING_COLUMNS = "id, tenant, created_by, origin, status, progress, primaries,"
            + " window_start, window_days, threshold_km, objects, skipped, conjunction_count, error, created_at,"
            + " started_at, finished_at";
    private static final String CONJUNCTION_COLUMNS = "id, screening_id, primary_norad, primary_name, primary_epoch,"
            + " primary_state, secondary_norad, secondary_name, secondary_epoch, secondary_state, tca, miss_km,"
            + " relative_speed, radial_km, in_track_km, cross_track_km, pc";

    /** Stores a new screening, its lease held by {@code instance}. */
    public Uni<Void> insert(SqlClient c, Screening s, String instance) {
        return c.preparedQuery("INSERT INTO screening (" + SCREENING_COLUMNS + ", claimed_by, heartbeat_at) VALUES ($1,"
                + " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $15)")
                .execute(Sql.tuple(s.id(), s.tenant(), s.createdBy(), s.origin(), s.status(), s.progress(),
                        s.primaries() == null ? null : s.primaries().toArray(Integer[]::new), s.windowStart(),
                        s.windowDays(), s.thresholdKm(), s.objects(), s.skipped(), s.conjunctionCount(), s.error(),
                        s.createdAt(), s.startedAt(), s.finishedAt(), instance))
                .replaceWithVoid();
    }

    /**
     * Claims this run of a cluster-wide scheduled job: true for the one replica that moves its last run to {@code now},
     * when the last run is older than {@code notBefore} (concurrent claims queue on the row and see the new time).
     */
    public Uni<Boolean> claimJob(SqlClient c, String name, Instant now, Instant notBefore) {
        return c.preparedQuery("INSERT INTO scheduled_job (name, last_run) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE"
                + " SET last_run = EXCLUDED.last_run WHERE scheduled_job.last_run < $3 RETURNING name")
                .execute(Sql.tuple(name, now, notBefore))
                .map(rows -> rows.size() == 1);
    }

    /** Deletes screenings (and their conjunctions) that finished before {@code finishedBefore}; how many. */
    public Uni<Integer> purgeFinished(SqlClient c, Instant finishedBefore) {
        return c.preparedQuery("DELETE FROM screening WHERE status IN ('done', 'failed', 'cancelled')"
                + " AND finished_at < $1")
                .execute(Sql.tuple(finishedBefore)).map(rows -> rows.rowCount());
    }

    /** Renews the leases of these screenings held by {@code instance}; the ids of those with a cancel request. */
    public Uni<List<UUID>> heartbeat(SqlClient c, String instance, UUID[] ids) {
        return c.preparedQuery("UPDATE screening SET heartbeat_at = now() WHERE id = ANY($1) AND claimed_by = $2"
                + " AND status IN ('queued', 'running') RETURNING id, cancel_requested")
                .execute(Tuple.of(ids, instance)).map(rows -> {
                    List<UUID> cancel = new ArrayList<>();
                    rows.forEach(r -> {
                        if (Boolean.TRUE.equals(r.getBoolean("cancel_requested"))) {
                            cancel.add(r.getUUID("id"));
                        }
                    });
                    return cancel;
                });
    }

    /**
     * Claims up to {@code limit} open screenings whose lease lapsed more than {@code leaseSeconds} ago (their replica
     * is gone): queued again under {@code instance}'s lease, or failed after {@code maxAttempts}.
     */
    public Uni<List<Screening>> claimLapsed(SqlClient c, String instance, long leaseSeconds, int maxAttempts,
            int limit) {
        return c.preparedQuery("UPDATE screening s SET claimed_by = $1, heartbeat_at = now(), attempts = s.attempts + 1,"
                + " status = CASE WHEN s.attempts >= $3 THEN 'failed' ELSE 'queued' END, progress = 0,"
                + " started_at = NULL,"
                + " error = CASE WHEN s.attempts >= $3 THEN 'interrupted ' || s.attempts || ' times (the replica"
                + " running it stopped)' ELSE NULL END,"
                + " finished_at = CASE WHEN s.attempts >= $3 THEN now() ELSE NULL END"
                + " WHERE s.id IN (SELECT id FROM screening WHERE status IN ('queued', 'running')"
                + " AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2))"
                + " ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING " + SCREENING_COLUMNS)
                .execute(Tuple.of(instance, (double) leaseSeconds, maxAttempts, limit))
                .map(rows -> Sql.list(rows, ScreeningRepository::screening));
    }

    /**
     * Cancels an open screening of {@code tenant}: a queued one at once, a running one by request (its replica stops
     * it at the next progress step). Empty when there is no such open screening; the screening as it now is otherwise.
     */
    public Uni<Optional<Screening>> cancel(SqlClient c, UUID id, String tenant) {
        return c.preparedQuery("UPDATE screening SET cancel_requested = true,"
                + " status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,"
                + " finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END"
                + " WHERE id = $1 AND tenant = $2 AND status IN ('queued', 'running') RETURNING " + SCREENING_COLUMNS)
                .execute(Tuple.of(id, tenant))
                .map(rows -> Sql.first(rows, ScreeningRepository::screening));
    }

    /** One page of a tenant's screenings, newest first, keyset on (created_at, id). */
    public Uni<List<Screening>> list(SqlClient c, String tenant, String status, Instant afterCreated, UUID afterId,
            int limit) {
        return c.preparedQuery("SELECT " + SCREENING_COLUMNS + " FROM screening WHERE tenant = $1"
                + " AND ($2::text IS NULL OR status = $2)"
                + " AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4)) ORDER BY created_at DESC, id DESC LIMIT $5")
                .execute(Sql.tuple(tenant, status, afterCreated, afterId, limit))
                .map(rows -> Sql.list(rows, ScreeningRepository::screening));
    }

    public Uni<Void> cancelled(SqlClient c, UUID id, Instant now) {
        return c.preparedQuery("UPDATE screening SET status = 'cancelled', finished_at = $2 WHERE id = $1"
                + " AND status IN ('queued', 'running')").execute(Sql.tuple(id, now)).replaceWithVoid();
    }

    /** The screening if it belongs to {@code tenant}. */
    public Uni<Optional<Screening>> find(SqlClient c, UUID id, String tenant) {
        return c.preparedQuery("SELECT " + SCREENING_COLUMNS + " FROM screening WHERE id = $1 AND tenant = $2")
                .execute(Tuple.of(id, tenant))
                .map(rows -> Sql.first(rows, ScreeningRepository::screening));
    }

    public Uni<Optional<Screening>> find(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT " + SCREENING_COLUMNS + " FROM screening WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Sql.first(rows, ScreeningRepository::screening));
    }

    /** Marks a queued screening this instance holds running; false when it is no longer queued (cancelled, taken). */
    public Uni<Boolean> running(SqlClient c, UUID id, String instance, Instant now) {
        return c.preparedQuery("UPDATE screening SET status = 'running', started_at = $2, heartbeat_at = now()"
                + " WHERE id = $1 AND status = 'queued' AND claimed_by = $3 AND NOT cancel_requested")
                .execute(Sql.tuple(id, now, instance)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> progress(SqlClient c, UUID id, int percent) {
        return c.preparedQuery("UPDATE screening SET progress = $2 WHERE id = $1 AND status = 'running'")
                .execute(Tuple.of(id, percent)).replaceWithVoid();
    }

    /** Marks a running screening done; false when it is not running any more (cancelled meanwhile). */
    public Uni<Boolean> done(SqlClient c, UUID id, int objects, int skipped, int count, Instant now) {
        return c.preparedQuery("UPDATE screening SET status = 'done', progress = 100, objects = $2, skipped = $3,"
                + " conjunction_count = $4, finished_at = $5 WHERE id = $1 AND status = 'running'")
                .execute(Sql.tuple(id, objects, skipped, count, now)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> failed(SqlClient c, UUID id, String error, Instant now) {
        return c.preparedQuery("UPDATE screening SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1"
                + " AND status IN ('queued', 'running')")
                .execute(Sql.tuple(id, error, now)).replaceWithVoid();
    }

    public Uni<Void> insertConjunctions(SqlClient c, List<Conjunction> list) {
        if (list.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(list.size());
        for (Conjunction j : list) {
            batch.add(Sql.tuple(j.id(), j.screeningId(), j.primaryNorad(), j.primaryName(), j.primaryEpoch(),
                    boxed(j.primaryState()), j.secondaryNorad(), j.secondaryName(), j.secondaryEpoch(),
                    boxed(j.secondaryState()), j.tca(), j.missKm(), j.relativeSpeedKmS(), j.radialKm(), j.inTrackKm(),
                    j.crossTrackKm(), j.pc()));
        }
        return c.preparedQuery("INSERT INTO conjunction (" + CONJUNCTION_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6,"
                + " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)").executeBatch(batch).replaceWithVoid();
    }

    /** One page of a screening's conjunctions after the keyset ({@code afterKey}, {@code afterId}), or the first. */
    public Uni<List<Conjunction>> page(SqlClient c, UUID screeningId, Sort sort, Double afterKey, UUID afterId,
            int limit) {
        String sql = "SELECT " + CONJUNCTION_COLUMNS + " FROM conjunction WHERE screening_id = $1"
                + (afterKey == null ? " AND $2::float8 IS NULL AND $3::uuid IS NULL" : " AND " + sort.after)
                + " ORDER BY " + sort.order + " LIMIT $4";
        return c.preparedQuery(sql).execute(Sql.tuple(screeningId, afterKey, afterId, limit))
                .map(rows -> Sql.list(rows, ScreeningRepository::conjunction));
    }

    public Uni<Optional<Conjunction>> conjunction(SqlClient c, UUID screeningId, UUID id) {
        return c.preparedQuery("SELECT " + CONJUNCTION_COLUMNS + " FROM conjunction WHERE screening_id = $1 AND id = $2")
                .execute(Tuple.of(screeningId, id))
                .map(rows -> Sql.first(rows, ScreeningRepository::conjunction));
    }

    private static Double[] boxed(double[] v) {
        Double[] out = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[] unboxed(Double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static Screening screening(Row r) {
        Integer[] primaries = r.getArrayOfIntegers("primaries");
        return new Screening(r.getUUID("id"), r.getString("tenant"), r.getString("created_by"), r.getString("origin"),
                r.getString("status"), r.getInteger("progress"), primaries == null ? null : List.of(primaries),
                Sql.instant(r, "window_start"), r.getDouble("window_days"), r.getDouble("threshold_km"),
                r.getInteger("objects"), r.getInteger("skipped"), r.getInteger("conjunction_count"),
                r.getString("error"), Sql.instant(r, "created_at"), Sql.instant(r, "started_at"),
                Sql.instant(r, "finished_at"));
    }

    private static Conjunction conjunction(Row r) {
        return new Conjunction(r.getUUID("id"), r.getUUID("screening_id"), r.getInteger("primary_norad"),
                r.getString("primary_name"), Sql.instant(r, "primary_epoch"),
                unboxed(r.getArrayOfDoubles("primary_state")), r.getInteger("secondary_norad"),
                r.getString("secondary_name"), Sql.instant(r, "secondary_epoch"),
                unboxed(r.getArrayOfDoubles("secondary_state")), Sql.instant(r, "tca"), r.getDouble("miss_km"),
                r.getDouble("relative_speed"), r.getDouble("radial_km"), r.getDouble("in_track_km"),
                r.getDouble("cross_track_km"), r.getDouble("pc"));
    }
}
