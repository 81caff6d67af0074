package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Element sets: append-only history (a withdrawal is the one change), one row per (scope, NORAD id, epoch) among those
 * not withdrawn. A <em>view</em> is what one tenant sees: the shared catalog and that tenant's overlay; a null view
 * tenant is the shared catalog alone.
 */
@ApplicationScoped
public class ElementSetRepository {

    static final List<String> COLUMN_LIST = List.of("id", "norad_id", "epoch", "name", "intl_designator",
            "classification", "mean_motion", "eccentricity", "inclination", "ra_of_asc_node", "arg_of_pericenter",
            "mean_anomaly", "bstar", "mean_motion_dot", "mean_motion_ddot", "ephemeris_type", "element_set_no",
            "rev_at_epoch", "line1", "line2", "format", "tenant", "ingested_by", "ingested_at", "overlay_tenant",
            "published_from", "published_by", "withdrawn_at", "withdrawn_by_tenant", "withdrawn_by", "withdrawn_reason");
    static final String COLUMNS = String.join(", ", COLUMN_LIST);
    /** The columns an insert writes: the first {@value #INSERTED} of {@link #COLUMN_LIST}. */
    private static final int INSERTED = 27;
    private static final String INSERT_COLUMNS = String.join(", ", COLUMN_LIST.subList(0, INSERTED));

    /** SQL condition: element set {@code e} is in the view of tenant {@code $n} (null: the shared catalog alone). */
    static String visible(String alias, String parameter) {
        return "(" + alias + ".overlay_tenant IS NULL OR " + alias + ".overlay_tenant = " + parameter + "::text)";
    }

    /** The columns of table alias {@code e}, renamed {@code e_<column>} for joins. */
    static final String JOINED_COLUMNS = COLUMN_LIST.stream().map(c -> "e." + c + " AS e_" + c)
            .collect(Collectors.joining(", "));
    private static final String TYPES = "$1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], "
            + "$7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], "
            + "$14::float8[], $15::float8[], $16::int[], $17::int[], $18::int[], $19::text[], $20::text[], $21::text[], "
            + "$22::text[], $23::text[], $24::timestamptz[], $25::text[], $26::uuid[], $27::text[]";

    /**
     * Inserts the element sets their scope does not hold yet (by NORAD id and epoch, among those not withdrawn); the
     * ids it inserted.
     */
    public Uni<Set<UUID>> insertNew(SqlClient tx, List<ElementSetRecord> records) {
        int n = records.size();
        Object[][] columns = new Object[INSERTED][];
        columns[0] = new UUID[n];
        columns[1] = new Integer[n];
        columns[2] = new OffsetDateTime[n];
        for (int c : new int[] { 3, 4, 5, 18, 19, 20, 21, 22, 24 }) { // text columns
            columns[c] = new String[n];
        }
        for (int c = 6; c <= 14; c++) {
            columns[c] = new Double[n];
        }
        for (int c = 15; c <= 17; c++) {
            columns[c] = new Integer[n];
        }
        columns[23] = new OffsetDateTime[n];
        columns[25] = new UUID[n];
        columns[26] = new String[n];
        for (int i = 0; i < n; i++) {
            ElementSetRecord r = records.get(i);
            ElementSet e = r.elements();
            Object[] row = { r.id(), e.noradId(), utc(e.epoch()), e.name(), e.intlDesignator(), e.classification(),
                    e.meanMotion(), e.eccentricity(), e.inclination(), e.raOfAscNode(), e.argOfPericenter(),
                    e.meanAnomaly(), e.bstar(), e.meanMotionDot(), e.meanMotionDdot(), e.ephemerisType(),
                    e.elementSetNo(), e.revAtEpoch(), e.line1(), e.line2(), e.format().wire(), r.tenant(),
                    r.ingestedBy(), utc(r.ingestedAt()), r.overlayTenant(), r.publishedFrom(), r.publishedBy() };
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
        }
        return tx.preparedQuery("INSERT INTO element_set (" + INSERT_COLUMNS + ") SELECT * FROM unnest(" + TYPES + ")"
                + " ON CONFLICT (overlay_tenant, norad_id, epoch) WHERE withdrawn_at IS NULL DO NOTHING RETURNING id")
                .execute(Tuple.from(Arrays.asList((Object[]) columns)))
                .map(rows -> {
                    Set<UUID> ids = new HashSet<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    /**
     * The ids of the element sets (not withdrawn) held for these (NORAD id, epoch) pairs in one scope (a tenant's
     * overlay, or the shared catalog when {@code overlayTenant} is null), by {@link #key}.
     */
    public Uni<Map<String, UUID>> idsOf(SqlClient c, List<ElementSet> sets, String overlayTenant) {
        Integer[] norads = sets.stream().map(ElementSet::noradId).toArray(Integer[]::new);
        OffsetDateTime[] epochs = sets.stream().map(s -> utc(s.epoch())).toArray(OffsetDateTime[]::new);
        return c.preparedQuery("SELECT e.id, e.norad_id, e.epoch FROM element_set e"
                + " JOIN unnest($1::int[], $2::timestamptz[]) AS k(norad_id, epoch) USING (norad_id, epoch)"
                + " WHERE e.withdrawn_at IS NULL AND e.overlay_tenant IS NOT DISTINCT FROM $3::text")
                .execute(Tuple.of(norads, epochs, overlayTenant))
                .map(rows -> {
                    Map<String, UUID> ids = new HashMap<>();
                    rows.forEach(r -> ids.put(key(r.getInteger("norad_id"), Sql.instant(r, "epoch")), r.getUUID("id")));
                    return ids;
                });
    }

    /** The key of an element set in {@link #idsOf}. */
    public static String key(int noradId, Instant epoch) {
        return noradId + "@" + epoch;
    }

    /** Any element set by id, whoever's it is (callers check the view). */
    public Uni<Optional<ElementSetRecord>> find(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM element_set WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Sql.first(rows, r -> map(r, "")));
    }

    /** Locks an element set for a change (its withdrawal). */
    public Uni<Optional<ElementSetRecord>> findForUpdate(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM element_set WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
                .map(rows -> Sql.first(rows, r -> map(r, "")));
    }

    /** Withdraws a standing element set; false when it was withdrawn already. */
    public Uni<Boolean> withdraw(SqlClient tx, UUID id, ElementSetRecord.Withdrawal w) {
        return tx.preparedQuery("UPDATE element_set SET withdrawn_at = $2, withdrawn_by_tenant = $3, withdrawn_by = $4,"
                + " withdrawn_reason = $5 WHERE id = $1 AND withdrawn_at IS NULL")
                .execute(Sql.tuple(id, w.at(), w.tenant(), w.subject(), w.reason()))
                .map(r -> r.rowCount() == 1);
    }

    /**
     * The standing element sets just before and just after {@code epoch} of an object in a view (a null view tenant:
     * the shared catalog alone): the neighbours a withdrawn element set leaves next to each other.
     */
    public Uni<List<UUID>> neighbours(SqlClient c, int noradId, Instant epoch, String viewTenant) {
        String visible = visible("e", "$3");
        return c.preparedQuery("(SELECT id FROM element_set e WHERE norad_id = $1 AND epoch < $2 AND withdrawn_at IS NULL"
                + " AND " + visible + " ORDER BY epoch DESC LIMIT 1) UNION ALL"
                + " (SELECT id FROM element_set e WHERE norad_id = $1 AND epoch > $2 AND withdrawn_at IS NULL"
                + " AND " + visible + " ORDER BY epoch LIMIT 1)")
                .execute(Sql.tuple(noradId, epoch, viewTenant))
                .map(rows -> Sql.list(rows, r -> r.getUUID("id")));
    }

    /** The tenants whose overlays hold standing element sets of these objects. */
    public Uni<List<String>> overlayTenants(SqlClient c, Integer[] noradIds) {
        return c.preparedQuery("SELECT DISTINCT overlay_tenant FROM element_set WHERE norad_id = ANY($1)"
                + " AND overlay_tenant IS NOT NULL AND withdrawn_at IS NULL ORDER BY overlay_tenant")
                .execute(Tuple.of((Object) noradIds))
                .map(rows -> Sql.list(rows, r -> r.getString("overlay_tenant")));
    }

    /**
     * One page of an object's history in a tenant's view, withdrawn element sets included, in (epoch, id) order:
     * epochs in [{@code from}, {@code to}), after the cursor ({@code afterEpoch}, {@code afterId}; exclusive, in the
     * page's direction; a null id: after the epoch).
     */
    public Uni<List<ElementSetRecord>> history(SqlClient c, String viewTenant, int noradId, Instant from, Instant to,
            Instant afterEpoch, UUID afterId, boolean newestFirst, int limit) {
        String direction = newestFirst ? "DESC" : "ASC";
        String afterOp = newestFirst ? "<" : ">";
        return c.preparedQuery("SELECT " + COLUMNS + " FROM element_set e WHERE norad_id = $1 AND " + visible("e", "$7")
                + " AND ($2::timestamptz IS NULL OR epoch >= $2) AND ($3::timestamptz IS NULL OR epoch < $3)"
                + " AND ($4::timestamptz IS NULL OR ($6::uuid IS NULL AND epoch " + afterOp + " $4)"
                + "      OR ($6::uuid IS NOT NULL AND (epoch, id) " + afterOp + " ($4, $6)))"
                + " ORDER BY epoch " + direction + ", id " + direction + " LIMIT $5")
                .execute(Sql.tuple(noradId, from, to, afterEpoch, limit, afterId, viewTenant))
                .map(rows -> Sql.list(rows, r -> map(r, "")));
    }

    /** Reads an element set from a row, its columns named {@code prefix + column}. */
    static ElementSetRecord map(Row r, String prefix) {
        ElementSet e = new ElementSet(r.getInteger(prefix + "norad_id"), r.getString(prefix + "name"),
                r.getString(prefix + "intl_designator"), r.getString(prefix + "classification"),
                Sql.instant(r, prefix + "epoch"), r.getDouble(prefix + "mean_motion"),
                r.getDouble(prefix + "eccentricity"), r.getDouble(prefix + "inclination"),
                r.getDouble(prefix + "ra_of_asc_node"), r.getDouble(prefix + "arg_of_pericenter"),
                r.getDouble(prefix + "mean_anomaly"), r.getDouble(prefix + "bstar"),
                r.getDouble(prefix + "mean_motion_dot"), r.getDouble(prefix + "mean_motion_ddot"),
                r.getInteger(prefix + "ephemeris_type"), r.getInteger(prefix + "element_set_no"),
                r.getInteger(prefix + "rev_at_epoch"), r.getString(prefix + "line1"), r.getString(prefix + "line2"),
                null, null, ElementFormat.fromWire(r.getString(prefix + "format")).orElseThrow());
        Instant withdrawnAt = Sql.instant(r, prefix + "withdrawn_at");
        return new ElementSetRecord(r.getUUID(prefix + "id"), e, r.getString(prefix + "tenant"),
                r.getString(prefix + "ingested_by"), Sql.instant(r, prefix + "ingested_at"),
                r.getString(prefix + "overlay_tenant"), withdrawnAt == null ? null
                        : new ElementSetRecord.Withdrawal(
                                withdrawnAt, r.getString(prefix + "withdrawn_by_tenant"), r.getString(prefix + "withdrawn_by"),
                                r.getString(prefix + "withdrawn_reason")),
                r.getUUID(prefix + "published_from"),
                r.getString(prefix + "published_by"));
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
