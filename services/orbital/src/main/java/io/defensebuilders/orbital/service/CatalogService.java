package io.defensebuilders.orbital.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalElementsV1;
import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.elements.ElementSetReader;
import io.defensebuilders.orbital.repository.CatalogRepository;
import io.defensebuilders.orbital.repository.ElementSetRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.events.Inbox;
import io.defensebuilders.platform.problem.ProblemException;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The catalog: ingesting element sets (history per NORAD id, the newest epoch current), and reading objects and
 * their history. Element sets are reference data every tenant reads; writing needs the publisher role, and the
 * ingesting tenant is recorded on each element set.
 */
@ApplicationScoped
public class CatalogService {

    /** What became of each element set of an upload, in upload order. */
    public record Ingested(UUID id, int noradId, Instant epoch, boolean stored, boolean current) {
    }

    /** A page of objects or element sets, and the cursor of the next page (null on the last). */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    private final Pool pool;
    private final CatalogRepository catalog;
    private final ElementSetRepository elementSets;
    private final ElementSetReader reader;
    private final OrbitalEvents events;
    private final Inbox inbox;
    private final OrbitalConfig config;
    private final ManeuverService maneuvers;
    private final CcdmService ccdm;

    public CatalogService(Pool pool, CatalogRepository catalog, ElementSetRepository elementSets,
            ElementSetReader reader, OrbitalEvents events, Inbox inbox, OrbitalConfig config,
            ManeuverService maneuvers, CcdmService ccdm) {
        this.maneuvers = maneuvers;
        this.ccdm = ccdm;
        this.pool = pool;
        this.catalog = catalog;
        this.elementSets = elementSets;
        this.reader = reader;
        this.events = events;
        this.inbox = inbox;
        this.config = config;
    }

    /** Ingests an upload in one transaction: all of it, or (any element set invalid) none of it. */
    @WithSpan
    public Uni<List<Ingested>> ingest(Caller caller, ElementFormat format, String text) {
        if (!caller.has(Role.PUBLISHER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("ingesting element sets needs the publisher role"));
        }
        List<Integer> maneuvered = new java.util.concurrent.CopyOnWriteArrayList<>();
        return Uni.createFrom().item(() -> reader.read(format, text))
                .chain(sets -> pool.withTransaction(tx -> store(tx, sets, caller.tenant(), caller.subject(), maneuvered)))
                .invoke(() -> ccdm.reassessLater(caller.tenant(), maneuvered));
    }

    /**
     * Ingests the element sets of a Kafka event, once: a redelivered event (same source and id) changes nothing.
     * Empty when it was a redelivery.
     */
    @WithSpan
    public Uni<List<Ingested>> ingest(CloudEvent<OrbitalElementsV1> event, List<ElementSet> sets) {
        OrbitalElementsV1 data = event.data();
        String subject = data.submittedBy() == null || data.submittedBy().isBlank() ? event.source() : data.submittedBy();
        List<Integer> maneuvered = new java.util.concurrent.CopyOnWriteArrayList<>();
        return pool.withTransaction(tx -> inbox.firstDelivery(tx, event)
                .chain(first -> first ? store(tx, sets, data.tenant(), subject, maneuvered)
                        : Uni.createFrom().item(List.<Ingested>of())))
                .invoke(() -> ccdm.reassessLater(data.tenant(), maneuvered));
    }

    /** Stores element sets and detects maneuvers; the NORAD ids with new maneuvers are added to {@code maneuvered}. */
    private Uni<List<Ingested>> store(SqlClient tx, List<ElementSet> sets, String tenant, String subject,
            List<Integer> maneuvered) {
        int max = config.ingest().maxElementSets();
        if (sets.size() > max) {
            return Uni.createFrom().failure(ProblemException.tooLarge("an upload holds at most " + max
                    + " element sets; this one holds " + sets.size()).with("limit", max));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<ElementSetRecord> records = sets.stream()
                .map(s -> new ElementSetRecord(UUID.randomUUID(), s, tenant, subject, now)).toList();
        Integer[] norads = sets.stream().map(ElementSet::noradId).distinct().sorted().toArray(Integer[]::new);
        return catalog.createAndLock(tx, norads)
                .chain(() -> catalog.describe(tx, descriptions(sets), now))
                .chain(() -> elementSets.insertNew(tx, records))
                .chain(inserted -> elementSets.idsOf(tx, sets)
                        .chain(ids -> catalog.refreshCurrent(tx, norads, now)
                                .chain(current -> report(tx, records, inserted, ids, current))))
                .call(out -> maneuvers.detectAround(tx, out.stream().filter(Ingested::stored).map(Ingested::id)
                        .toList(), tenant, now)
                        .invoke(found -> found.forEach(m -> maneuvered.add(m.noradId()))));
    }

    private Uni<List<Ingested>> report(SqlClient tx, List<ElementSetRecord> records, Set<UUID> inserted,
            Map<String, UUID> ids, Map<Integer, UUID> current) {
        List<Ingested> out = new ArrayList<>(records.size());
        List<Uni<Void>> emitted = new ArrayList<>();
        for (ElementSetRecord r : records) {
            ElementSet e = r.elements();
            UUID id = ids.get(ElementSetRepository.key(e.noradId(), e.epoch()));
            boolean isCurrent = id != null && id.equals(current.get(e.noradId()));
            boolean stored = inserted.contains(r.id());
            out.add(new Ingested(id, e.noradId(), e.epoch(), stored, isCurrent));
            if (stored) {
                emitted.add(events.elementSetStored(tx, r, isCurrent));
            }
        }
        if (emitted.isEmpty()) {
            return Uni.createFrom().item(out);
        }
        return Uni.join().all(emitted).andFailFast().replaceWith(out);
    }

    /** Per object, what its newest element set in the upload says about it. */
    private static List<CatalogRepository.Description> descriptions(List<ElementSet> sets) {
        Map<Integer, ElementSet> newest = new LinkedHashMap<>();
        for (ElementSet s : sets) {
            newest.merge(s.noradId(), s, (a, b) -> b.epoch().isAfter(a.epoch()) ? b : a);
        }
        return newest.values().stream().sorted(Comparator.comparingInt(ElementSet::noradId))
                .map(s -> new CatalogRepository.Description(s.noradId(), s.epoch(), s.name(), s.intlDesignator(),
                        s.objectType(), ObjectType.impliedByName(s.name()).orElse(null), s.owner()))
                .toList();
    }

    public Uni<Page<CatalogObject>> list(String objectType, String search, String limitText, String cursor) {
        ObjectType type = null;
        if (objectType != null && !objectType.isBlank()) {
            type = ObjectType.parse(objectType).orElseThrow(() -> ProblemException.invalid("objectType",
                    "must be one of PAYLOAD, ROCKET_BODY, DEBRIS, UNKNOWN"));
        }
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        Integer after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Integer.parseInt(Cursors.decode("objects", cursor));
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
            }
        }
        String q = search == null || search.isBlank() ? null : search.trim();
        return catalog.list(pool, type, q, after, limit + 1).map(rows -> {
            boolean more = rows.size() > limit;
            List<CatalogObject> page = more ? rows.subList(0, limit) : rows;
            return new Page<>(page, more ? Cursors.encode("objects", Integer.toString(page.getLast().noradId())) : null);
        });
    }

    public Uni<CatalogObject> get(int noradId) {
        return catalog.find(pool, noradId).map(o -> o.orElseThrow(() -> notCatalogued(noradId)));
    }

    public Uni<ElementSetRecord> elementSet(UUID id) {
        return elementSets.find(pool, id)
                .map(e -> e.orElseThrow(() -> ProblemException.notFound("no element set with id " + id)));
    }

    /** The current element sets of these objects; objects without one are absent. */
    public Uni<Map<Integer, ElementSetRecord>> current(List<Integer> noradIds) {
        return catalog.currentOf(pool, noradIds.toArray(Integer[]::new));
    }

    /**
     * One page of an object's history in epoch order (oldest first unless {@code order} is {@code desc}), epochs in
     * [{@code from}, {@code to}).
     */
    public Uni<Page<ElementSetRecord>> history(int noradId, String fromText, String toText, String order,
            String limitText, String cursor) {
        Instant from = instant("from", fromText);
        Instant to = instant("to", toText);
        boolean newestFirst;
        if (order == null || order.isBlank() || order.equalsIgnoreCase("asc")) {
            newestFirst = false;
        } else if (order.equalsIgnoreCase("desc")) {
            newestFirst = true;
        } else {
            throw ProblemException.invalid("order", "must be asc (oldest first, the default) or desc");
        }
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        String kind = "history-" + noradId + (newestFirst ? "-desc" : "-asc");
        Instant after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Instant.parse(Cursors.decode(kind, cursor));
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
            }
        }
        Instant afterEpoch = after;
        return elementSets.history(pool, noradId, from, to, after, newestFirst, limit + 1).chain(rows -> {
            boolean more = rows.size() > limit;
            List<ElementSetRecord> page = more ? rows.subList(0, limit) : rows;
            Page<ElementSetRecord> result = new Page<>(page,
                    more ? Cursors.encode(kind, page.getLast().elements().epoch().toString()) : null);
            if (!page.isEmpty() || afterEpoch != null) {
                return Uni.createFrom().item(result);
            }
            // an empty first page: an unknown object is a 404, a known one just has nothing in the range
            return get(noradId).replaceWith(result);
        });
    }

    /** Sets an object's name, type or owner (publisher role); absent fields keep their value. */
    @WithSpan
    public Uni<CatalogObject> describe(Caller caller, int noradId, String name, ObjectType type, String owner) {
        if (!caller.has(Role.PUBLISHER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("describing catalog objects needs the publisher role"));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(tx -> catalog.update(tx, noradId, blankToNull(name), type, blankToNull(owner), now))
                .chain(found -> found ? get(noradId) : Uni.createFrom().failure(notCatalogued(noradId)));
    }

    private static ProblemException notCatalogued(int noradId) {
        return ProblemException.notFound("NORAD id " + noradId + " is not in the catalog");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 date-time with an offset, e.g. 2024-06-01T00:00:00Z");
        }
    }
}
