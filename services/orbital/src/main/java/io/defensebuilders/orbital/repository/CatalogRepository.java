package io.defensebuilders.orbital.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Catalog objects: one row per NORAD id, its description and a pointer to its current element set. */
@ApplicationScoped
public class CatalogRepository {

    private static final String OBJECT_COLUMNS = "c.norad_id, c.name, c.intl_designator, c.object_type, c.owner,"
            + " c.created_at, c.updated_at";
    private static final String SELECT = "SELECT " + OBJECT_COLUMNS + ", " + ElementSetRepository.JOINED_COLUMNS
            + " FROM catalog_object c LEFT JOIN element_set e ON e.id = c.current_element_set";

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
     * Merges what an upload says about its objects. Data from an element set at least as new as the current one
     * replaces the old description; older data only fills gaps. A stated object type counts like a name; a type
     * implied by a name (R/B, DEB) only replaces UNKNOWN. Run before {@link #refreshCurrent}.
     */
    public Uni<Void> describe(SqlClient tx, List<Description> descriptions, Instant now) {
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
        return tx.preparedQuery("UPDATE catalog_object c SET"
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
                + " WHERE c.norad_id = u.norad_id")
                .execute(Tuple.from(List.of(norads, epochs, names, designators, stated, implied, owners,
                        ElementSetRepository.utc(now))))
                .replaceWithVoid();
    }

    /** Points each object at its element set with the newest epoch; the current element set id per object. */
    public Uni<Map<Integer, UUID>> refreshCurrent(SqlClient tx, Integer[] noradIds, Instant now) {
        return tx.preparedQuery("UPDATE catalog_object c SET current_element_set = e.id, current_epoch = e.epoch,"
                + " updated_at = $2"
                + " FROM (SELECT DISTINCT ON (norad_id) id, norad_id, epoch FROM element_set WHERE norad_id = ANY($1)"
                + "       ORDER BY norad_id, epoch DESC) e"
                + " WHERE c.norad_id = e.norad_id AND c.current_element_set IS DISTINCT FROM e.id")
                .execute(Tuple.of(noradIds, ElementSetRepository.utc(now)))
                .chain(() -> tx.preparedQuery("SELECT norad_id, current_element_set FROM catalog_object"
                        + " WHERE norad_id = ANY($1)").execute(Tuple.of((Object) noradIds)))
                .map(rows -> {
                    Map<Integer, UUID> current = new HashMap<>();
                    rows.forEach(r -> current.put(r.getInteger("norad_id"), r.getUUID("current_element_set")));
                    return current;
                });
    }

    /** One page of objects in NORAD id order, after {@code afterNoradId}, optionally of one type or matching text. */
    public Uni<List<CatalogObject>> list(SqlClient c, ObjectType type, String search, Integer afterNoradId, int limit) {
        String pattern = search == null ? null : "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return c.preparedQuery(SELECT + " WHERE ($1::int IS NULL OR c.norad_id > $1)"
                + " AND ($2::text IS NULL OR c.object_type = $2)"
                + " AND ($3::text IS NULL OR c.name ILIKE $3 OR c.intl_designator ILIKE $3)"
                + " ORDER BY c.norad_id LIMIT $4")
                .execute(Sql.tuple(afterNoradId, type == null ? null : type.name(), pattern, limit))
                .map(rows -> {
                    List<CatalogObject> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r, -1)));
                    return out;
                });
    }

    /** An object with its current element set and the size of its history. */
    public Uni<Optional<CatalogObject>> find(SqlClient c, int noradId) {
        return c.preparedQuery(SELECT.replace(" FROM catalog_object c",
                ", (SELECT count(*) FROM element_set x WHERE x.norad_id = c.norad_id) AS element_set_count"
                        + " FROM catalog_object c")
                + " WHERE c.norad_id = $1")
                .execute(Tuple.of(noradId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(map(rows.iterator().next(), rows.iterator().next().getLong("element_set_count"))));
    }

    /** The current element sets of these objects (objects without one are absent). */
    public Uni<Map<Integer, ElementSetRecord>> currentOf(SqlClient c, Integer[] noradIds) {
        return c.preparedQuery("SELECT " + ElementSetRepository.JOINED_COLUMNS
                + " FROM catalog_object c JOIN element_set e ON e.id = c.current_element_set WHERE c.norad_id = ANY($1)")
                .execute(Tuple.of((Object) noradIds))
                .map(rows -> {
                    Map<Integer, ElementSetRecord> out = new HashMap<>();
                    rows.forEach(r -> {
                        ElementSetRecord e = ElementSetRepository.map(r, "e_");
                        out.put(e.elements().noradId(), e);
                    });
                    return out;
                });
    }

    /** Sets what a caller states about an object; absent values keep theirs. False when there is no such object. */
    public Uni<Boolean> update(SqlClient tx, int noradId, String name, ObjectType type, String owner, Instant now) {
        return tx.preparedQuery("UPDATE catalog_object SET name = COALESCE($2, name),"
                + " object_type = COALESCE($3, object_type), owner = COALESCE($4, owner), updated_at = $5"
                + " WHERE norad_id = $1")
                .execute(Sql.tuple(noradId, name, type == null ? null : type.name(), owner, now))
                .map(r -> r.rowCount() == 1);
    }

    private static CatalogObject map(Row r, long count) {
        ElementSetRecord current = r.getUUID("e_id") == null ? null : ElementSetRepository.map(r, "e_");
        return new CatalogObject(r.getInteger("norad_id"), r.getString("name"), r.getString("intl_designator"),
                ObjectType.valueOf(r.getString("object_type")), r.getString("owner"), current, count,
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}
