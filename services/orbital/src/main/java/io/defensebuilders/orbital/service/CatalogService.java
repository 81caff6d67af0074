package io.defensebuilders.orbital.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.OrbitalElementsV1;
import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.Page;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.elements.ElementSetReader;
import io.defensebuilders.orbital.repository.CatalogRepository;
import io.defensebuilders.orbital.repository.ElementSetRepository;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.events.Inbox;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.web.Params;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The catalog: ingesting element sets (history per NORAD id, the newest epoch current), and reading objects and
 * their history. Two scopes: the shared catalog, written by platform admins and the trusted {@code orbital.elements.v1}
 * topic, and each tenant's private overlay, written by its publishers. Every read is in the caller's view: the shared
 * catalog merged with the caller's own overlay. The ingesting tenant and subject are recorded on each element set.
 */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    /** What became of each element set of an upload, in upload order. */
    public record Ingested(UUID id, int noradId, Instant epoch, boolean stored, boolean current, boolean shared) {
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

    /** The latest epoch an element set ingested now may have. */
    public Instant latestEpoch() {
        return Instant.now().plus(config.ingest().maxFutureEpoch());
    }

    /**
     * Ingests an upload in one transaction: all of it, or (any element set invalid) none of it. A platform admin's
     * upload goes to the shared catalog; a publisher's to its tenant's overlay. {@code token}, the caller's, asks the
     * maneuver model on its behalf.
     */
    @WithSpan
    public Uni<List<Ingested>> ingest(Caller caller, String token, ElementFormat format, String text) {
        if (!caller.has(Role.PUBLISHER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("ingesting element sets needs the publisher role"));
        }
        String overlay = caller.has(Role.PLATFORM_ADMIN) ? null : caller.tenant();
        List<Integer> maneuvered = new java.util.concurrent.CopyOnWriteArrayList<>();
        return Uni.createFrom().item(() -> reader.read(format, text, latestEpoch()))
                .chain(sets -> pool.withTransaction(tx -> store(tx, records(sets, caller.tenant(), caller.subject(),
                        overlay), maneuvered, token)))
                .invoke(() -> ccdm.reassessLater(caller.tenant(), overlay, maneuvered));
    }

    /**
     * Ingests the element sets of a Kafka event into the shared catalog (producers on the topic are trusted), once: a
     * redelivered event (same source and id) changes nothing. Empty when it was a redelivery.
     */
    @WithSpan
    public Uni<List<Ingested>> ingest(CloudEvent<OrbitalElementsV1> event, List<ElementSet> sets) {
        OrbitalElementsV1 data = event.data();
        String subject = data.submittedBy() == null || data.submittedBy().isBlank() ? event.source() : data.submittedBy();
        List<Integer> maneuvered = new java.util.concurrent.CopyOnWriteArrayList<>();
        return pool.withTransaction(tx -> inbox.firstDelivery(tx, event)
                .chain(first -> first ? store(tx, records(sets, data.tenant(), subject, null), maneuvered, null)
                        : Uni.createFrom().item(List.<Ingested> of())))
                .invoke(() -> ccdm.reassessLater(data.tenant(), null, maneuvered));
    }

    private static List<ElementSetRecord> records(List<ElementSet> sets, String tenant, String subject,
            String overlay) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return sets.stream().map(s -> new ElementSetRecord(UUID.randomUUID(), s, tenant, subject, now, overlay)).toList();
    }

    /**
     * Stores element sets of one scope (all shared, or all of one tenant's overlay) and detects maneuvers; the NORAD
     * ids with new maneuvers are added to {@code maneuvered}.
     */
    private Uni<List<Ingested>> store(SqlClient tx, List<ElementSetRecord> records, List<Integer> maneuvered,
            String token) {
        int max = config.ingest().maxElementSets();
        if (records.size() > max) {
            return Uni.createFrom().failure(ProblemException.tooLarge("an upload holds at most " + max
                    + " element sets; this one holds " + records.size()).with("limit", max));
        }
        if (records.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String overlay = records.getFirst().overlayTenant();
        String tenant = records.getFirst().tenant();
        Instant now = records.getFirst().ingestedAt();
        List<ElementSet> sets = records.stream().map(ElementSetRecord::elements).toList();
        Integer[] norads = sets.stream().map(ElementSet::noradId).distinct().sorted().toArray(Integer[]::new);
        Uni<Void> scoped = overlay == null ? catalog.share(tx, norads, now)
                : catalog.createOverlay(tx, overlay, norads, now);
        return catalog.createAndLock(tx, norads)
                .chain(() -> scoped)
                .chain(() -> catalog.describe(tx, overlay, descriptions(sets), now))
                .chain(() -> elementSets.insertNew(tx, records))
                .chain(inserted -> elementSets.idsOf(tx, sets, overlay)
                        .chain(ids -> catalog.refreshCurrent(tx, overlay, norads, now)
                                .chain(() -> catalog.currentOf(tx, overlay, norads))
                                .chain(current -> report(tx, records, inserted, ids, current))))
                .call(out -> maneuvers.detectAround(tx, out.stream().filter(Ingested::stored).map(Ingested::id)
                        .toList(), norads, overlay, tenant, token, now)
                        .invoke(found -> found.forEach(m -> maneuvered.add(m.noradId()))));
    }

    private Uni<List<Ingested>> report(SqlClient tx, List<ElementSetRecord> records, Set<UUID> inserted,
            Map<String, UUID> ids, Map<Integer, ElementSetRecord> current) {
        List<Ingested> out = new ArrayList<>(records.size());
        List<Uni<Void>> emitted = new ArrayList<>();
        for (ElementSetRecord r : records) {
            ElementSet e = r.elements();
            UUID id = ids.get(ElementSetRepository.key(e.noradId(), e.epoch()));
            ElementSetRecord now = current.get(e.noradId());
            boolean isCurrent = id != null && now != null && id.equals(now.id());
            boolean stored = inserted.contains(r.id());
            out.add(new Ingested(id, e.noradId(), e.epoch(), stored, isCurrent, r.shared()));
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

    /**
     * Withdraws an element set: kept for audit, no longer current anywhere, the maneuvers built on it superseded, the
     * pairs it separated compared anew, and announced on {@code orbital.catalog.v1}. A shared element set needs a
     * platform admin; an overlay one its tenant's publisher (or a platform admin). 404 outside the caller's view,
     * 409 when it is withdrawn already.
     */
    @WithSpan
    public Uni<ElementSetRecord> withdraw(Caller caller, String token, UUID id, String reasonText) {
        if (!caller.has(Role.PUBLISHER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("withdrawing element sets needs the publisher role"));
        }
        String reason = Params.required("reason", reasonText, 500);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Integer> maneuvered = new java.util.concurrent.CopyOnWriteArrayList<>();
        return pool.withTransaction(tx -> elementSets.find(tx, id).chain(found -> {
            ElementSetRecord r = found.filter(x -> visible(caller, x)).orElseThrow(() -> noElementSet(id));
            if (r.shared() && !caller.has(Role.PLATFORM_ADMIN)) {
                throw ProblemException.forbidden("withdrawing an element set of the shared catalog needs the"
                        + " platform-admin role");
            }
            int norad = r.elements().noradId();
            Integer[] norads = { norad };
            ElementSetRecord.Withdrawal w = new ElementSetRecord.Withdrawal(now, caller.tenant(), caller.subject(), reason);
            return catalog.createAndLock(tx, norads)
                    .chain(() -> elementSets.withdraw(tx, id, w))
                    .invoke(done -> {
                        if (!done) {
                            throw ProblemException.conflict("element set " + id + " is withdrawn already");
                        }
                    })
                    .chain(() -> catalog.refreshCurrent(tx, r.overlayTenant(), norads, now))
                    .chain(() -> maneuvers.afterWithdrawal(tx, r, token, now)
                            .invoke(list -> list.forEach(m -> maneuvered.add(m.noradId()))))
                    .chain(() -> elementSets.find(tx, id)).map(Optional::orElseThrow)
                    .call(withdrawn -> events.elementSetWithdrawn(tx, withdrawn));
        })).invoke(w -> {
            LOG.infof("element set %s (NORAD %d, %s) withdrawn by %s/%s: %s", id, w.elements().noradId(),
                    w.shared() ? "shared" : "overlay of " + w.overlayTenant(), caller.tenant(), caller.subject(), reason);
            List<Integer> again = new ArrayList<>(maneuvered);
            again.add(w.elements().noradId());
            ccdm.reassessLater(caller.tenant(), w.overlayTenant(), again);
        });
    }

    /**
     * Promotes a tenant's element set to the shared catalog (platform admin): a shared copy is stored, keeping who
     * ingested it and naming its origin, as if the topic had delivered it. 409 when the shared catalog already holds
     * one of that object at that epoch.
     */
    @WithSpan
    public Uni<Ingested> publish(Caller caller, String token, UUID id) {
        if (!caller.has(Role.PLATFORM_ADMIN)) {
            return Uni.createFrom().failure(ProblemException.forbidden("publishing to the shared catalog needs the"
                    + " platform-admin role"));
        }
        List<Integer> maneuvered = new java.util.concurrent.CopyOnWriteArrayList<>();
        return pool.withTransaction(tx -> elementSets.find(tx, id).chain(found -> {
            ElementSetRecord r = found.orElseThrow(() -> noElementSet(id));
            if (r.shared()) {
                throw ProblemException.conflict("element set " + id + " is in the shared catalog already");
            }
            if (r.withdrawn()) {
                throw ProblemException.conflict("element set " + id + " is withdrawn");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            ElementSetRecord copy = new ElementSetRecord(UUID.randomUUID(), r.elements(), r.tenant(), r.ingestedBy(),
                    now, null, null, r.id(), caller.subject());
            return store(tx, List.of(copy), maneuvered, token).chain(out -> {
                Ingested i = out.getFirst();
                if (!i.stored()) {
                    throw ProblemException.conflict("the shared catalog already holds an element set of NORAD id "
                            + r.elements().noradId() + " at epoch " + r.elements().epoch() + ": " + i.id());
                }
                return Uni.createFrom().item(i);
            });
        })).invoke(() -> ccdm.reassessLater(caller.tenant(), null, maneuvered));
    }

    /** Whether the caller may see this element set: the shared catalog's, its own tenant's, or any (platform admin). */
    static boolean visible(Caller caller, ElementSetRecord r) {
        return r.shared() || caller.tenant().equals(r.overlayTenant()) || caller.has(Role.PLATFORM_ADMIN);
    }

    private static ProblemException noElementSet(UUID id) {
        return ProblemException.notFound("no element set with id " + id);
    }

    /** One page of the objects in the view of {@code viewTenant}, in NORAD id order. */
    public Uni<Page<CatalogObject>> list(String viewTenant, String objectType, String search, String limitText,
            String cursor) {
        ObjectType type = null;
        String typeText = Params.text("objectType", objectType, 64);
        if (typeText != null) {
            type = ObjectType.parse(typeText).orElseThrow(() -> ProblemException.invalid("objectType",
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
        String q = Params.text("q", search, 200);
        return catalog.list(pool, viewTenant, type, q, after, limit + 1).map(rows -> {
            boolean more = rows.size() > limit;
            List<CatalogObject> page = more ? rows.subList(0, limit) : rows;
            return new Page<>(page, more ? Cursors.encode("objects", Integer.toString(page.getLast().noradId())) : null);
        });
    }

    /** An object in the view of {@code viewTenant} (null: the shared catalog alone); 404 outside it. */
    public Uni<CatalogObject> get(String viewTenant, int noradId) {
        return catalog.find(pool, viewTenant, noradId).map(o -> o.orElseThrow(() -> notCatalogued(noradId)));
    }

    /** An element set by id: 404 unless the caller's view holds it (platform admins see every one). */
    public Uni<ElementSetRecord> elementSet(Caller caller, UUID id) {
        return elementSets.find(pool, id)
                .map(e -> e.filter(r -> visible(caller, r)).orElseThrow(() -> noElementSet(id)));
    }

    /** The current element sets of these objects in a view; objects without one, or outside it, are absent. */
    public Uni<Map<Integer, ElementSetRecord>> current(String viewTenant, List<Integer> noradIds) {
        return catalog.currentOf(pool, viewTenant, noradIds.toArray(Integer[]::new));
    }

    /** Every object of a view with a current element set (what a screening screens). */
    public Uni<List<CatalogObject>> allCurrent(String viewTenant) {
        return catalog.allCurrent(pool, viewTenant);
    }

    /**
     * One page of an object's history in a view, withdrawn element sets included (flagged), in epoch order (oldest
     * first unless {@code order} is {@code desc}), epochs in [{@code from}, {@code to}).
     */
    public Uni<Page<ElementSetRecord>> history(String viewTenant, int noradId, String fromText, String toText,
            String order, String limitText, String cursor) {
        Instant from = Params.instant("from", fromText);
        Instant to = Params.instant("to", toText);
        boolean newestFirst;
        String orderText = Params.text("order", order, 16);
        if (orderText == null || orderText.equalsIgnoreCase("asc")) {
            newestFirst = false;
        } else if (orderText.equalsIgnoreCase("desc")) {
            newestFirst = true;
        } else {
            throw ProblemException.invalid("order", "must be asc (oldest first, the default) or desc");
        }
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        String kind = "history-" + noradId + (newestFirst ? "-desc" : "-asc");
        Instant after = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = Cursors.decode(kind, cursor).split("\\|", 2);
                after = Params.inRange("cursor", Instant.parse(parts[0]));
                afterId = parts.length > 1 ? UUID.fromString(parts[1]) : null;
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
            }
        }
        Instant afterEpoch = after;
        return elementSets.history(pool, viewTenant, noradId, from, to, after, afterId, newestFirst, limit + 1)
                .chain(rows -> {
                    boolean more = rows.size() > limit;
                    List<ElementSetRecord> page = more ? rows.subList(0, limit) : rows;
                    Page<ElementSetRecord> result = new Page<>(page, more ? Cursors.encode(kind,
                            page.getLast().elements().epoch() + "|" + page.getLast().id()) : null);
                    if (!page.isEmpty() || afterEpoch != null) {
                        return Uni.createFrom().item(result);
                    }
                    // an empty first page: an unknown object is a 404, a known one just has nothing in the range
                    return get(viewTenant, noradId).replaceWith(result);
                });
    }

    /**
     * Sets an object's name, type or owner; absent fields keep their value. An object of the shared catalog is
     * described for everyone and needs a platform admin (403 for a tenant's publisher: the shared description is
     * reference data); an object only the caller's overlay holds is described in that overlay (publisher role).
     */
    @WithSpan
    public Uni<CatalogObject> describe(Caller caller, int noradId, String nameText, ObjectType type, String ownerText) {
        if (!caller.has(Role.PUBLISHER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("describing catalog objects needs the publisher role"));
        }
        String name = Params.text("name", nameText, 80);
        String owner = Params.text("owner", ownerText, 80);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String view = caller.tenant();
        return get(view, noradId).chain(object -> {
            if (object.shared() && !caller.has(Role.PLATFORM_ADMIN)) {
                return Uni.createFrom().<Boolean> failure(ProblemException.forbidden("NORAD id " + noradId + " is in the"
                        + " shared catalog: describing it needs the platform-admin role"));
            }
            String scope = object.shared() ? null : view;
            return pool.withTransaction(tx -> catalog.update(tx, scope, noradId, name, type, owner, now));
        }).chain(found -> found ? get(view, noradId) : Uni.createFrom().failure(notCatalogued(noradId)));
    }

    private static ProblemException notCatalogued(int noradId) {
        return ProblemException.notFound("NORAD id " + noradId + " is not in the catalog");
    }
}
