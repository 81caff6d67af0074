package io.defensebuilders.orbital.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.repository.ProtectedAssetRepository;
import io.defensebuilders.orbital.repository.ProtectedAssetRepository.ProtectedAsset;
import io.defensebuilders.orbital.repository.ScreeningRepository;
import io.defensebuilders.orbital.repository.ScreeningRepository.Screening;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.sql.Sql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Each tenant's protected assets (builder role or above), and their scheduled screening: every
 * {@code dbp.orbital.protected-assets.every} (default 6h, {@code off} disables it) one normal screening per tenant,
 * owned by that tenant, of its protected assets against the whole catalog.
 */
@ApplicationScoped
public class ProtectedAssetService {

    private static final Logger LOG = Logger.getLogger(ProtectedAssetService.class);
    public static final String SCHEDULER = "protected-assets";
    private static final String JOB = "orbital-protected-assets";

    private final Pool pool;
    private final ScreeningRepository repo;
    private final ProtectedAssetRepository assets;
    private final CatalogService catalog;
    private final ScreeningService screenings;
    private final OrbitalConfig config;

    public ProtectedAssetService(Pool pool, ScreeningRepository repo, ProtectedAssetRepository assets,
            CatalogService catalog, ScreeningService screenings, OrbitalConfig config) {
        this.pool = pool;
        this.repo = repo;
        this.assets = assets;
        this.catalog = catalog;
        this.screenings = screenings;
        this.config = config;
    }

    private static void check(Caller caller) {
        if (!caller.has(Role.BUILDER)) {
            throw ProblemException.forbidden("protected assets need the builder role");
        }
    }

    public Uni<List<ProtectedAsset>> list(Caller caller) {
        check(caller);
        return Panache.withSession(() -> assets.of(caller.tenant()));
    }

    /**
     * Adds an object of the caller's view (404 outside it); true when it was not protected yet. Two concurrent adds
     * of one asset: the one whose insert loses the race answers false, as if it had come second.
     */
    public Uni<Boolean> protect(Caller caller, int noradId) {
        check(caller);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return catalog.get(caller.tenant(), noradId)
                .chain(o -> Panache.withTransaction(() -> assets.protect(caller.tenant(), noradId, caller.subject(), now)))
                .onFailure(Sql::isUniqueViolation).recoverWithItem(false);
    }

    public Uni<Void> unprotect(Caller caller, int noradId) {
        check(caller);
        return Panache.withTransaction(() -> assets.unprotect(caller.tenant(), noradId)).map(found -> {
            if (!found) {
                throw ProblemException.notFound("NORAD id " + noradId + " is not a protected asset of this tenant");
            }
            return null;
        });
    }

    @Scheduled(identity = "orbital-protected-assets", every = "${dbp.orbital.protected-assets.every:6h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return screenProtectedAssetsOnce(Instant.now(), interval(config.protectedAssets().every())).onFailure()
                .invoke(e -> LOG.warn("scheduled protected-asset screening failed", e)).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * The scheduled job as one replica of many runs it: every replica's scheduler fires, only the one that claims this
     * interval in the database creates the screenings (the others get an empty list). An interval counts as taken
     * when the job last ran less than 90% of it ago, so replicas whose timers drift apart still run it once.
     */
    public Uni<List<Screening>> screenProtectedAssetsOnce(Instant now, Duration every) {
        Instant notBefore = now.minusMillis(every.toMillis() * 9 / 10);
        return repo.claimJob(pool, JOB, now.truncatedTo(ChronoUnit.MICROS), notBefore).chain(claimed -> claimed
                ? screenProtectedAssets()
                : Uni.createFrom().item(List.<Screening> of()));
    }

    /** A Quarkus scheduler interval ({@code 6h}, {@code 30m}, {@code 1d}, {@code PT6H}) as a duration. */
    static Duration interval(String every) {
        String v = every.trim().toUpperCase(java.util.Locale.ROOT);
        if (v.startsWith("P")) {
            return Duration.parse(v);
        }
        return v.endsWith("D") ? Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)))
                : Duration.parse("PT" + v);
    }

    /** Creates one screening per tenant with protected assets (the scheduled job; tests call it directly). */
    public Uni<List<Screening>> screenProtectedAssets() {
        double days = config.protectedAssets().windowDays();
        double threshold = config.protectedAssets().thresholdKm();
        return Panache.withSession(assets::byTenant).chain(byTenant -> {
            List<Uni<Screening>> created = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> e : byTenant.entrySet()) {
                created.add(screenings.create(e.getKey(), SCHEDULER,
                        new ScreeningService.Request(e.getValue(), null, days, threshold), "protected-assets")
                        .onFailure().invoke(x -> LOG.warnf(x, "protected-asset screening of tenant %s not created",
                                e.getKey()))
                        .onFailure().recoverWithNull());
            }
            if (created.isEmpty()) {
                return Uni.createFrom().item(List.<Screening> of());
            }
            return Uni.join().all(created).andCollectFailures()
                    .map(list -> list.stream().filter(java.util.Objects::nonNull).toList());
        });
    }
}
