package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Catalog objects: one row per NORAD id with its shared description and a pointer to its current shared element set,
 * and per tenant overlay ({@code overlay_object}) the tenant's own description and its newest own element set. Reads
 * are in a tenant's view: objects of the shared catalog and of its overlay, each with the newer of the two current
 * element sets (the shared one on a tie).
 */
@ApplicationScoped
public class CatalogRepository {

    /** The objects of view {@code $1}: columns of the object and, as {@code e_*}, of its current element set. */
    static final String VIEW = "SELECT c.norad_id, COALESCE(c.name, o.name) AS name,"
            + " COALESCE(c.intl_designator, o.intl_designator) AS intl_designator,"
            + " CASE WHEN c.object_type = 'UNKNOWN' AND o.object_type IS NOT NULL THEN o.object_type"
            + "   ELSE c.object_type END AS object_type, COALESCE(c.owner, o.owner) AS owner, c.shared,"
            + " CASE WHEN c.shared THEN c.created_at ELSE o.created_at END AS created_at,"
            + " GREATEST(CASE WHEN c.shared THEN c.updated_at END, o.updated_at) AS updated_at, "
            + ElementSetRepository.JOINED_COLUMNS
            + " FROM catalog_object c LEFT JOIN overlay_object o ON o.norad_id = c.norad_id AND o.tenant = $1::text"
            + " LEFT JOIN element_set e ON e.id = CASE WHEN o.current_epoch IS NOT NULL"
            + "   AND (c.current_epoch IS NULL OR o.current_epoch > c.current_epoch) THEN o.current_element_set"
            + "   ELSE c.current_element_set END"
            + " WHERE (c.shared OR o.tenant IS NOT NULL)";

    /** What one upload says about an object: taken from its newest element set in the upload. */
    public record Description(int noradId, Instant epoch, String name, String intlDesignator, ObjectType statedType,
            ObjectType impliedType, String owner) {
    }

    /**
     * Creates the objects that do not exist yet and locks all of them, in NORAD id order so that concurrent
     * uploads of overlapping objects queue instead of deadlocking.
     */
    public Uni<Void> createAndLock(SqlClient tx, Integer[] sortedNoradIds) {
        return tx.preparedQuery("INSERT INTO catalog_object (norad_id) SELECT * FROM unnest($1::int[])"
                + " ON CONFLICT DO NOTHING").execute(Tuple.of((Object) sortedNoradIds))
                .chain(() -> tx.preparedQuery("SELECT norad_id FROM catalog_object WHERE norad_id = ANY($1)"
                        + " ORDER BY norad_id FOR UPDATE").execute(Tuple.of((Object) sortedNoradIds)))
                .replaceWithVoid();
    }

    /**
     * Makes these objects part of the shared catalog (a shared element set of theirs is being stored). An object seen
     * by some tenant's overlay first is "created" for everyone now, not when that tenant uploaded it.
     */
    public Uni<Void> share(SqlClient tx, Integer[] noradIds, Instant now) {
        return tx.preparedQuery("UPDATE catalog_object SET shared = true, created_at = $2, updated_at = $2"
                + " WHERE norad_id = ANY($1) AND NOT shared")
                .execute(Tuple.of(noradIds, ElementSetRepository.utc(now))).replaceWithVoid();
    }

    /** Creates a tenant's overlay rows of these objects that do not exist yet. */
    public Uni<Void> createOverlay(SqlClient tx, String tenant, Integer[] noradIds, Instant now) {
        return tx.preparedQuery("INSERT INTO overlay_object (tenant, norad_id, created_at, updated_at)"
                + " SELECT $1, n, $3, $3 FROM unnest($2::int[]) AS n ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenant, noradIds, ElementSetRepository.utc(now))).replaceWithVoid();
    }

    /**
     * Merges what an upload says about its objects into the shared description ({@code tenant} null) or a tenant's
     * overlay description. Data from an element set at least as new as the scope's current one replaces the old
     * description; older data only fills gaps. A stated object type counts like a name; a type implied by a name
     * (R/B, DEB) only replaces UNKNOWN. Run before {@link #refreshCurrent}.
     */
    public Uni<Void> describe(SqlClient tx, String tenant, List<Description> descriptions, Instant now) {
        int n = descriptions.size();
        Integer[] norads = new Integer[n];
        Object[] epochs = new java.time.OffsetDateTime[n];
        String[] names = new String[n];
        String[] designators = new String[n];
        String[] stated = new String[n];
        String[] implied = new String[n];
        String[] owners = new String[n];
        for (int i = 0; i < n; i++) {
            Description d = descriptions.get(i);
            norads[i] = d.noradId();
            epochs[i] = ElementSetRepository.utc(d.epoch());
            names[i] = d.name();
            designators[i] = d.intlDesignator();
            stated[i] = d.statedType() == null ? null : d.statedType().name();
            implied[i] = d.impliedType() == null ? null : d.impliedType().name();
            owners[i] = d.owner();
        }
        String newer = "(c.current_epoch IS NULL OR u.epoch >= c.current_epoch)";
        String table = tenant == null ? "catalog_object c" : "overlay_object c";
        String scope = tenant == null ? "" : " AND c.tenant = $9";
        List<Object> values = new ArrayList<>(List.of(norads, epochs, names, designators, stated, implied, owners,
                ElementSetRepository.utc(now)));
        if (tenant != null) {
            values.add(tenant);
        }
        return tx.preparedQuery("UPDATE " + table + " SET"
                + " name = CASE WHEN " + newer + " THEN COALESCE(u.name, c.name) ELSE COALESCE(c.name, u.name) END,"
                + " intl_designator = CASE WHEN " + newer + " THEN COALESCE(u.intl_designator, c.intl_designator)"
                + "   ELSE COALESCE(c.intl_designator, u.intl_designator) END,"
                + " owner = CASE WHEN " + newer + " THEN COALESCE(u.owner, c.owner) ELSE COALESCE(c.owner, u.owner) END,"
                + " object_type = CASE"
                + "   WHEN u.stated_type IS NOT NULL AND (" + newer + " OR c.object_type = 'UNKNOWN') THEN u.stated_type"
                + "   WHEN c.object_type = 'UNKNOWN' AND u.implied_type IS NOT NULL THEN u.implied_type"
                + "   ELSE c.object_type END,"
                + " updated_at = $8"
                + " FROM unnest($1::int[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])"
                + "   AS u(norad_id, epoch, name, intl_designator, stated_type, implied_type, owner)"
                + " WHERE c.norad_id = u.norad_id" + scope)
                .execute(Tuple.from(values))
                .replaceWithVoid();
    }

    /**
     * Points each object's shared row ({@code tenant} null) or the tenant's overlay row at the scope's standing element
     * set with the newest epoch (none when every one is withdrawn).
     */
    public Uni<Void> refreshCurrent(SqlClient tx, String tenant, Integer[] noradIds, Instant now) {
        String table = tenant == null ? "catalog_object c" : "overlay_object c";
        String scope = tenant == null ? "" : " AND c.tenant = $3::text";
        return tx.preparedQuery("UPDATE " + table + " SET current_element_set = e.id, current_epoch = e.epoch,"
                + " updated_at = $2"
                + " FROM unnest($1::int[]) AS n(norad_id) LEFT JOIN LATERAL (SELECT x.id, x.epoch FROM element_set x"
                + "   WHERE x.norad_id = n.norad_id AND x.withdrawn_at IS NULL"
                + "   AND x.overlay_tenant IS NOT DISTINCT FROM $3::text ORDER BY x.epoch DESC LIMIT 1) e ON true"
                + " WHERE c.norad_id = n.norad_id" + scope + " AND c.current_element_set IS DISTINCT FROM e.id")
                .execute(Sql.tuple(noradIds, ElementSetRepository.utc(now), tenant))
                .replaceWithVoid();
    }

    /** One page of a view's objects in NORAD id order, after {@code afterNoradId}, optionally of one type or matching text. */
    public Uni<List<CatalogObject>> list(SqlClient c, String viewTenant, ObjectType type, String search,
            Integer afterNoradId, int limit) {
        String pattern = search == null ? null
                : "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return c.preparedQuery("SELECT * FROM (" + VIEW + " AND ($2::int IS NULL OR c.norad_id > $2)) v"
                + " WHERE ($3::text IS NULL OR v.object_type = $3)"
                + " AND ($4::text IS NULL OR v.name ILIKE $4 OR v.intl_designator ILIKE $4)"
                + " ORDER BY v.norad_id LIMIT $5")
                .execute(Sql.tuple(viewTenant, afterNoradId, type == null ? null : type.name(), pattern, limit))
                .map(rows -> Sql.list(rows, r -> map(r, -1)));
    }

    /** An object of a view with its current element set and the size of its history there. */
    public Uni<Optional<CatalogObject>> find(SqlClient c, String viewTenant, int noradId) {
        return c.preparedQuery(VIEW.replace(" FROM catalog_object c",
                ", (SELECT count(*) FROM element_set x WHERE x.norad_id = c.norad_id AND "
                        + ElementSetRepository.visible("x", "$1") + ") AS element_set_count FROM catalog_object c")
                + " AND c.norad_id = $2")
                .execute(Sql.tuple(viewTenant, noradId))
                .map(rows -> Sql.first(rows, r -> map(r, r.getLong("element_set_count"))));
    }

    /** The current element sets of these objects in a view (objects without one, or not in the view, are absent). */
    public Uni<Map<Integer, ElementSetRecord>> currentOf(SqlClient c, String viewTenant, Integer[] noradIds) {
        return c.preparedQuery(VIEW + " AND c.norad_id = ANY($2) AND e.id IS NOT NULL")
                .execute(Sql.tuple(viewTenant, noradIds))
                .map(rows -> {
                    Map<Integer, ElementSetRecord> out = new HashMap<>();
                    rows.forEach(r -> {
                        ElementSetRecord e = ElementSetRepository.map(r, "e_");
                        out.put(e.elements().noradId(), e);
                    });
                    return out;
                });
    }

    /** Every object of a view that has a current element set, in NORAD id order, with its (view) name. */
    public Uni<List<CatalogObject>> allCurrent(SqlClient c, String viewTenant) {
        return c.preparedQuery(VIEW + " AND e.id IS NOT NULL ORDER BY c.norad_id").execute(Sql.tuple(viewTenant))
                .map(rows -> Sql.list(rows, r -> map(r, -1)));
    }

    /**
     * Sets what a caller states about an object, in the shared description ({@code tenant} null) or the tenant's
     * overlay; absent values keep theirs. False when there is no such row.
     */
    public Uni<Boolean> update(SqlClient tx, String tenant, int noradId, String name, ObjectType type, String owner,
            Instant now) {
        String table = tenant == null ? "catalog_object" : "overlay_object";
        String scope = tenant == null ? "" : " AND tenant = $6";
        return tx.preparedQuery("UPDATE " + table + " SET name = COALESCE($2, name),"
                + " object_type = COALESCE($3, object_type), owner = COALESCE($4, owner), updated_at = $5"
                + " WHERE norad_id = $1" + scope)
                .execute(tenant == null ? Sql.tuple(noradId, name, type == null ? null : type.name(), owner, now)
                        : Sql.tuple(noradId, name, type == null ? null : type.name(), owner, now, tenant))
                .map(r -> r.rowCount() == 1);
    }

    private static CatalogObject map(Row r, long count) {
        ElementSetRecord current = r.getUUID("e_id") == null ? null : ElementSetRepository.map(r, "e_");
        return new CatalogObject(r.getInteger("norad_id"), r.getString("name"), r.getString("intl_designator"),
                ObjectType.valueOf(r.getString("object_type")), r.getString("owner"), current, count,
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"), r.getBoolean("shared"));
    }
}
