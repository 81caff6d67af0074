package io.defensebuilders.orbital.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.time.AbsoluteDate;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.orbital.CatalogObject;
import io.defensebuilders.orbital.ElementSetRecord;
import io.defensebuilders.orbital.Page;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.orbital.propagation.Sgp4;
import io.defensebuilders.orbital.repository.ScreeningRepository;
import io.defensebuilders.orbital.repository.ScreeningRepository.Conjunction;
import io.defensebuilders.orbital.repository.ScreeningRepository.Screening;
import io.defensebuilders.orbital.repository.ScreeningRepository.Sort;
import io.defensebuilders.orbital.screening.CdmFiles;
import io.defensebuilders.orbital.screening.CollisionProbability;
import io.defensebuilders.orbital.screening.Screener;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.metrics.SqlGauges;
import io.defensebuilders.platform.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Conjunction screening jobs: created by a tenant (builder role or above), queued, run on a bounded executor
 * ({@code dbp.orbital.screening.concurrency} at a time) against the catalog's current element sets, results stored
 * with one {@code orbital.conjunctions.v1} event per conjunction. A screening is visible to its tenant only.
 */
@ApplicationScoped
public class ScreeningService {

    private static final Logger LOG = Logger.getLogger(ScreeningService.class);

    /** What a caller asks for; null fields take their defaults. */
    public record Request(List<Integer> primaries, Instant windowStart, Double windowDays, Double thresholdKm) {
    }

    public static final double DEFAULT_WINDOW_DAYS = 7;
    /**
     * A window must lie in [{@value #EARLIEST_TEXT}, {@value #END_TEXT}): the years a TLE epoch can name (1957-2056)
     * and the propagation span after them; outside, SGP4 has no element set to run on.
     */
    static final String EARLIEST_TEXT = "1957-01-01T00:00:00Z";
    static final String END_TEXT = "2058-01-01T00:00:00Z";
    static final Instant EARLIEST_WINDOW = Instant.parse(EARLIEST_TEXT);
    static final Instant END_WINDOW = Instant.parse(END_TEXT);
    /** What a failed screening says (the exception is logged with the screening id, never stored or returned). */
    static final String FAILED = "the screening failed unexpectedly; the service log holds the cause under its id";
    public static final double DEFAULT_THRESHOLD_KM = 5;
    private static final int MAX_PRIMARIES = 10_000;

    private final Pool pool;
    private final ScreeningRepository repo;
    private final CatalogService catalog;
    private final OrekitData orekit;
    private final Sgp4 sgp4;
    private final OrbitalEvents events;
    private final OrbitalConfig config;
    private final ExecutorService executor;
    /** This replica, as the holder of screening leases. */
    private final String instance = "orbital-" + UUID.randomUUID();
    /** Screenings this replica holds (queued in its executor or running). */
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    /** Held screenings a cancel was requested for. */
    private final Set<UUID> cancelling = ConcurrentHashMap.newKeySet();

    public ScreeningService(Pool pool, ScreeningRepository repo, CatalogService catalog, OrekitData orekit, Sgp4 sgp4,
            OrbitalEvents events, OrbitalConfig config) {
        this.pool = pool;
        this.repo = repo;
        this.catalog = catalog;
        this.orekit = orekit;
        this.sgp4 = sgp4;
        this.events = events;
        this.config = config;
        int n = Math.max(1, config.screening().concurrency());
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "orbital-screening-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /**
     * The screening queue as operators see it: how many screenings wait and how long the oldest has waited
     * (DbpScreeningQueueStalled), across replicas, from the table every {@code dbp.metrics.poll-interval}.
     */
    void gauges(@Observes StartupEvent started, io.vertx.core.Vertx vertx, MeterRegistry meters,
            @ConfigProperty(name = "dbp.metrics.poll-interval", defaultValue = "15s") Duration every) {
        new SqlGauges(meters, "SELECT count(*) AS queued, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)"
                + " AS oldest FROM screening WHERE status = 'queued'",
                Map.of("queued", Map.entry("dbp.orbital.screenings.queued", "screenings waiting to run, all replicas"),
                        "oldest", Map.entry("dbp.orbital.screenings.queued.oldest.age.seconds",
                                "how long the oldest queued screening has waited, seconds (0: none)")))
                .start(vertx, pool, every);
    }

    /** Validates, stores the screening as queued and hands it to the executor. */
    @WithSpan
    public Uni<Screening> create(Caller caller, Request request, String origin) {
        if (!caller.has(Role.BUILDER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("creating screenings needs the builder role"));
        }
        return create(caller.tenant(), caller.subject(), request, origin);
    }

    /** Creates a screening for {@code tenant} (also used by the protected-asset job). */
    public Uni<Screening> create(String tenant, String subject, Request request, String origin) {
        double days = request.windowDays() == null ? DEFAULT_WINDOW_DAYS : request.windowDays();
        double maxDays = config.screening().maxWindowDays();
        if (!(days > 0) || days > maxDays) {
            return Uni.createFrom().failure(ProblemException.invalid("windowDays",
                    "must be more than 0 and at most " + maxDays + " days"));
        }
        double threshold = request.thresholdKm() == null ? DEFAULT_THRESHOLD_KM : request.thresholdKm();
        double maxThreshold = config.screening().maxThresholdKm();
        if (!(threshold > 0) || threshold > maxThreshold) {
            return Uni.createFrom().failure(ProblemException.invalid("thresholdKm",
                    "must be more than 0 and at most " + maxThreshold + " km"));
        }
        List<Integer> primaries = null;
        if (request.primaries() != null) {
            if (request.primaries().isEmpty() || request.primaries().size() > MAX_PRIMARIES) {
                return Uni.createFrom().failure(ProblemException.invalid("primaries",
                        "must hold 1 to " + MAX_PRIMARIES + " NORAD ids, or be absent to screen the whole catalog"));
            }
            Set<Integer> unique = new LinkedHashSet<>();
            for (int i = 0; i < request.primaries().size(); i++) {
                Integer id = request.primaries().get(i);
                if (id == null || id < 1 || id > 339_999) {
                    return Uni.createFrom().failure(ProblemException.invalid("primaries[" + i + "]",
                            "must be a NORAD id from 1 to 339999"));
                }
                unique.add(id);
            }
            primaries = List.copyOf(unique);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant start = (request.windowStart() == null ? now : request.windowStart()).truncatedTo(ChronoUnit.MILLIS);
        if (start.isBefore(EARLIEST_WINDOW) || start.plusMillis(Math.round(days * 86_400_000L)).isAfter(END_WINDOW)) {
            return Uni.createFrom().failure(ProblemException.invalid("windowStart", "the window must lie between "
                    + EARLIEST_TEXT + " and " + END_TEXT + " (the years TLE epochs can name, and the propagation span)"));
        }
        List<Integer> ids = primaries;
        Uni<Void> known = ids == null ? Uni.createFrom().voidItem() : catalog.current(tenant, ids).map(current -> {
            List<Integer> missing = ids.stream().filter(id -> !current.containsKey(id)).toList();
            if (!missing.isEmpty()) {
                throw ProblemException.invalid("primaries", "not in the catalog (or without an element set): "
                        + missing.subList(0, Math.min(20, missing.size()))).with("unknown", missing);
            }
            return null;
        });
        Screening s = new Screening(UUID.randomUUID(), tenant, subject, origin, "queued", 0, ids, start, days,
                threshold, null, null, null, null, now, null, null);
        return known.chain(() -> repo.insert(pool, s, instance)).invoke(() -> submit(s)).replaceWith(s);
    }

    private void submit(Screening s) {
        held.add(s.id());
        executor.execute(() -> run(s));
    }

    /**
     * Renews the leases of the screenings this replica holds, learns of cancel requests for them, and takes over
     * screenings whose replica stopped renewing (crashed, killed): they run again here.
     */
    @Scheduled(identity = "orbital-screening-leases", every = "${dbp.orbital.screening.heartbeat:30s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        try {
            recover().await().indefinitely();
        } catch (RuntimeException e) {
            LOG.warn("screening lease renewal failed", e);
        }
    }

    /** One heartbeat: the screenings taken over (tests call it directly). */
    public Uni<List<Screening>> recover() {
        Uni<List<UUID>> renewed = held.isEmpty() ? Uni.createFrom().item(List.of())
                : repo.heartbeat(pool, instance, held.toArray(UUID[]::new));
        return renewed.invoke(cancelling::addAll)
                .chain(() -> repo.claimLapsed(pool, instance, config.screening().leaseSeconds(),
                        config.screening().maxAttempts(), 10))
                .invoke(claimed -> claimed.forEach(s -> {
                    if ("queued".equals(s.status())) {
                        LOG.infof("taking over screening %s of tenant %s (its replica stopped renewing it)", s.id(),
                                s.tenant());
                        submit(s);
                    } else {
                        LOG.warnf("screening %s failed: %s", s.id(), s.error());
                    }
                }));
    }

    /** Deletes finished screenings older than {@code dbp.orbital.screening.retention-days}, hourly by default. */
    @Scheduled(identity = "orbital-screening-retention", every = "${dbp.orbital.screening.retention-every:1h}", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retention() {
        return purge(Instant.now()).onFailure().invoke(e -> LOG.warn("screening retention failed", e))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One retention pass as of {@code now} (tests call it directly): how many screenings were deleted. */
    public Uni<Integer> purge(Instant now) {
        Instant before = now.minus(Duration.ofMinutes(Math.round(config.screening().retentionDays() * 1440)));
        return repo.purgeFinished(pool, before).invoke(n -> {
            if (n > 0) {
                LOG.infof("deleted %d screenings that finished before %s (retention %s days)", n, before,
                        config.screening().retentionDays());
            }
        });
    }

    /** Cancels an open screening of the caller's tenant (builder role); 409 when it already finished. */
    public Uni<Screening> cancel(Caller caller, UUID id) {
        if (!caller.has(Role.BUILDER)) {
            return Uni.createFrom().failure(ProblemException.forbidden("cancelling screenings needs the builder role"));
        }
        return repo.cancel(pool, id, caller.tenant()).chain(open -> {
            if (open.isPresent()) {
                if (held.contains(id)) {
                    cancelling.add(id);
                }
                return Uni.createFrom().item(open.get());
            }
            return get(caller, id).map(s -> {
                throw ProblemException.conflict("screening " + id + " is " + s.status() + ": nothing to cancel");
            });
        });
    }

    /** One page of the caller's tenant's screenings, newest first, optionally of one status. */
    public Uni<Page<Screening>> list(Caller caller, String status, String limitText, String cursor) {
        if (status != null && !status.isBlank()
                && !List.of("queued", "running", "done", "failed", "cancelled").contains(status)) {
            throw ProblemException.invalid("status", "must be queued, running, done, failed or cancelled");
        }
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        Instant afterCreated = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = Cursors.decode("screenings", cursor).split("\\|", 2);
                afterCreated = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (java.time.format.DateTimeParseException | IllegalArgumentException
                    | ArrayIndexOutOfBoundsException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint");
            }
        }
        return repo.list(pool, caller.tenant(), status == null || status.isBlank() ? null : status, afterCreated,
                afterId, limit + 1).map(rows -> {
                    boolean more = rows.size() > limit;
                    List<Screening> page = more ? rows.subList(0, limit) : rows;
                    return new Page<>(page, more ? Cursors.encode("screenings",
                            page.getLast().createdAt() + "|" + page.getLast().id()) : null);
                });
    }

    public Uni<Screening> get(Caller caller, UUID id) {
        return repo.find(pool, id, caller.tenant()).map(s -> s.orElseThrow(() -> notFound(id)));
    }

    /** One page, keyset-paginated, sorted by {@code pc} (highest first, the default) or {@code miss} (smallest first). */
    public Uni<Page<Conjunction>> conjunctions(Caller caller, UUID id, String sortText, String limitText, String cursor) {
        Sort sort = sort(sortText);
        int limit = Cursors.limit(limitText, config.catalog().defaultLimit(), config.catalog().maxLimit());
        String kind = "conjunctions-" + id + "-" + sort.name();
        Double afterKey = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = Cursors.decode(kind, cursor).split("\\|");
                afterKey = Double.parseDouble(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ProblemException.invalid("cursor", "not a cursor returned by this endpoint with this sort");
            }
        }
        Double key = afterKey;
        UUID after = afterId;
        return get(caller, id).chain(s -> repo.page(pool, id, sort, key, after, limit + 1)).map(rows -> {
            boolean more = rows.size() > limit;
            List<Conjunction> page = more ? rows.subList(0, limit) : rows;
            return new Page<>(page, more ? Cursors.encode(kind,
                    Double.toString(sort.key(page.getLast())) + "|" + page.getLast().id()) : null);
        });
    }

    /** Every conjunction of a screening, in the given sort. */
    public Uni<List<Conjunction>> allConjunctions(Caller caller, UUID id, String sortText) {
        Sort sort = sort(sortText);
        return get(caller, id).chain(s -> repo.page(pool, id, sort, null, null, Integer.MAX_VALUE));
    }

    public Uni<Conjunction> conjunction(Caller caller, UUID id, UUID conjunctionId) {
        return get(caller, id).chain(s -> repo.conjunction(pool, id, conjunctionId))
                .map(c -> c.orElseThrow(() -> ProblemException.notFound("screening " + id + " has no conjunction "
                        + conjunctionId)));
    }

    /** A conjunction as a CCSDS CDM (KVN), written by Orekit; see {@link CdmFiles} for the values it fills in. */
    public Uni<String> cdm(Caller caller, UUID id, UUID conjunctionId) {
        return get(caller, id).chain(s -> conjunction(caller, id, conjunctionId).chain(c -> catalog
                .current(s.tenant(), List.of(c.primaryNorad(), c.secondaryNorad()))
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .map(current -> CdmFiles.write(orekit, c.id().toString(), s.finishedAt() == null ? Instant.now()
                        : s.finishedAt(), c.tca(), c.missKm(), c.relativeSpeedKmS(),
                        new double[] { c.radialKm(), c.inTrackKm(), c.crossTrackKm() }, c.pc(), s.windowStart(),
                        s.windowStart().plusMillis(Math.round(s.windowDays() * 86_400_000L)),
                        new CdmFiles.Side(c.primaryNorad(), c.primaryName(), designator(current, c.primaryNorad()),
                                c.primaryState()),
                        new CdmFiles.Side(c.secondaryNorad(), c.secondaryName(),
                                designator(current, c.secondaryNorad()), c.secondaryState())))));
    }

    private static String designator(Map<Integer, ElementSetRecord> current, int norad) {
        ElementSetRecord r = current.get(norad);
        return r == null ? null : r.elements().intlDesignator();
    }

    private static Sort sort(String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("pc")) {
            return Sort.PC;
        }
        if (text.equalsIgnoreCase("miss") || text.equalsIgnoreCase("missDistance")) {
            return Sort.MISS;
        }
        throw ProblemException.invalid("sort", "must be pc (highest probability first, the default) or miss"
                + " (smallest miss distance first)");
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no screening with id " + id);
    }

    /** Runs one screening on an executor thread (blocking is fine here). */
    void run(Screening s) {
        try {
            runHeld(s);
        } finally {
            held.remove(s.id());
            cancelling.remove(s.id());
        }
    }

    private void runHeld(Screening s) {
        try {
            if (!repo.running(pool, s.id(), instance, Instant.now().truncatedTo(ChronoUnit.MICROS)).await()
                    .indefinitely()) {
                return; // cancelled while queued, or another replica holds it now
            }
            // the screening's tenant's view: the shared catalog and its own overlay
            List<CatalogObject> objects = catalog.allCurrent(s.tenant()).await().indefinitely();
            Map<Integer, ElementSetRecord> byId = new HashMap<>();
            Map<Integer, String> names = new HashMap<>();
            List<Screener.Target> targets = new ArrayList<>(objects.size());
            for (CatalogObject o : objects) {
                ElementSetRecord r = o.current();
                byId.put(r.elements().noradId(), r);
                names.put(o.noradId(), o.name());
                targets.add(new Screener.Target(r.elements().noradId(),
                        new TLE(r.elements().line1(), r.elements().line2(), orekit.utc())));
            }
            Set<Integer> primaries = s.primaries() == null ? null : Set.copyOf(s.primaries());
            AbsoluteDate start = new AbsoluteDate(java.util.Date.from(s.windowStart()), orekit.utc());
            int threads = config.screening().threads() > 0 ? config.screening().threads()
                    : Runtime.getRuntime().availableProcessors();
            AtomicInteger reported = new AtomicInteger();
            Screener.Result result = new Screener(orekit.teme()).screen(targets, primaries, start,
                    Screener.Options.of(s.windowDays() * 86400.0, s.thresholdKm()).withThreads(threads), f -> {
                        if (cancelling.contains(s.id())) {
                            throw new CancellationException("screening " + s.id() + " cancelled");
                        }
                        int pct = (int) Math.min(99, Math.floor(f * 100));
                        int last = reported.get();
                        if (pct >= last + 5 && reported.compareAndSet(last, pct)) {
                            repo.progress(pool, s.id(), pct).subscribe().with(x -> {
                            }, e -> {
                            });
                        }
                    });
            List<Conjunction> found = new ArrayList<>(result.conjunctions().size());
            for (Screener.Conjunction c : result.conjunctions()) {
                if (primaries != null && !primaries.contains(c.primary())) {
                    c = Screener.conjunction(c.secondary(), c.primary(), c.tca(), c.missKm(), c.secondaryState(),
                            c.primaryState());
                }
                double pc = CollisionProbability.compute(c.primaryState(), c.secondaryState());
                found.add(new Conjunction(UUID.randomUUID(), s.id(), c.primary(), names.get(c.primary()),
                        byId.get(c.primary()).elements().epoch(), state(c.primaryState()), c.secondary(),
                        names.get(c.secondary()), byId.get(c.secondary()).elements().epoch(),
                        state(c.secondaryState()), sgp4.instant(c.tca()).truncatedTo(ChronoUnit.MILLIS), c.missKm(),
                        c.relativeSpeedKmS(), c.radialKm(), c.inTrackKm(), c.crossTrackKm(), Double.isFinite(pc) ? pc : 0));
            }
            Instant done = Instant.now().truncatedTo(ChronoUnit.MICROS);
            pool.withTransaction(tx -> repo.done(tx, s.id(), targets.size() - result.skippedIds().size(),
                    result.skippedIds().size(), found.size(), done).chain(
                            running -> !running
                                    ? Uni.createFrom().voidItem() // cancelled meanwhile: nothing is stored or announced
                                    : repo.insertConjunctions(tx, found)
                                            .chain(() -> events.conjunctionsFound(tx, s, found, done))))
                    .await().indefinitely();
            LOG.infof("screening %s (tenant %s): %d objects, %d conjunctions in %.1f s", s.id(), s.tenant(),
                    targets.size(), found.size(), result.stats().seconds());
        } catch (CancellationException e) {
            LOG.infof("screening %s cancelled", s.id());
            repo.cancelled(pool, s.id(), Instant.now().truncatedTo(ChronoUnit.MICROS)).await().indefinitely();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof CancellationException) {
                LOG.infof("screening %s cancelled", s.id());
                repo.cancelled(pool, s.id(), Instant.now().truncatedTo(ChronoUnit.MICROS)).await().indefinitely();
                return;
            }
            LOG.errorf(e, "screening %s (tenant %s) failed", s.id(), s.tenant());
            try {
                repo.failed(pool, s.id(), FAILED, Instant.now().truncatedTo(ChronoUnit.MICROS)).await().indefinitely();
            } catch (RuntimeException again) {
                LOG.errorf(again, "could not mark screening %s failed", s.id());
            }
        }
    }

    /** TEME position and velocity, km and km/s. */
    private static double[] state(org.orekit.utils.PVCoordinates pv) {
        return new double[] { pv.getPosition().getX() / 1000, pv.getPosition().getY() / 1000,
                pv.getPosition().getZ() / 1000, pv.getVelocity().getX() / 1000, pv.getVelocity().getY() / 1000,
                pv.getVelocity().getZ() / 1000 };
    }
}
