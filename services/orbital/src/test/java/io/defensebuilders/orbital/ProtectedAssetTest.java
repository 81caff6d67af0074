package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.orbital.repository.ScreeningRepository.Screening;
import io.defensebuilders.orbital.service.ProtectedAssetService;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Protected assets per tenant, and their scheduled screening owned by that tenant. */
@QuarkusTest
class ProtectedAssetTest {

    @Inject
    ProtectedAssetService job;

    static final String URL = "/api/v1/orbital/protected-assets";

    @Test
    void eachTenantHasItsOwnListAndItsOwnScheduledScreening() {
        String a = TestClient.newTenant();
        String b = TestClient.newTenant();
        Api alice = new Api(a, "alice", "builder");
        Api bob = new Api(b, "bob", "builder");
        int norad = Api.newNorad();
        Api.publisher(a).upload("text/plain", Api.Tles.threeLe("ASSET", norad, "24010.50000000")).then().statusCode(200);

        alice.req().put(URL + "/" + norad).then().statusCode(201);
        alice.req().put(URL + "/" + norad).then().statusCode(204);
        alice.req().get(URL).then().statusCode(200).body("items.noradId", equalTo(List.of(norad)))
                .body("items[0].name", equalTo("ASSET"));
        bob.req().get(URL).then().statusCode(200).body("items", equalTo(List.of()));
        bob.req().delete(URL + "/" + norad).then().statusCode(404);
        alice.req().put(URL + "/339998").then().statusCode(404).contentType("application/problem+json");
        Api.viewer(a).req().get(URL).then().statusCode(403);
        Api.viewer(a).req().put(URL + "/" + norad).then().statusCode(403);

        List<Screening> created = onVertx(job::screenProtectedAssets);
        Screening mine = created.stream().filter(s -> s.tenant().equals(a)).findFirst().orElseThrow();
        assertEquals(List.of(norad), mine.primaries());
        assertEquals("protected-assets", mine.origin());
        assertTrue(created.stream().noneMatch(s -> s.tenant().equals(b)));
        alice.req().get("/api/v1/orbital/screenings/" + mine.id()).then().statusCode(200)
                .body("origin", equalTo("protected-assets")).body("primaries", equalTo(List.of(norad)));
        bob.req().get("/api/v1/orbital/screenings/" + mine.id()).then().statusCode(404);

        alice.req().delete(URL + "/" + norad).then().statusCode(204);
        alice.req().get(URL).then().statusCode(200).body("items", equalTo(List.of()));
    }

    /** Adds of one asset racing each other: one is the add (201), the others find it added (204), none fails. */
    @Test
    void concurrentAddsOfOneAssetAddItOnce() {
        String a = TestClient.newTenant();
        int norad = Api.newNorad();
        Api.publisher(a).upload("text/plain", Api.Tles.threeLe("RACED", norad, "24010.50000000")).then().statusCode(200);
        Api alice = new Api(a, "alice", "builder");
        List<Integer> codes;
        try (var threads = Executors.newFixedThreadPool(8)) {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<CompletableFuture<Integer>> puts = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return alice.req().put(URL + "/" + norad).statusCode();
                    }, threads)).toList();
            start.countDown();
            codes = puts.stream().map(CompletableFuture::join).sorted().toList();
        }
        assertEquals(1, codes.stream().filter(c -> c == 201).count(), "one add: " + codes);
        assertEquals(7, codes.stream().filter(c -> c == 204).count(), "the rest find it added: " + codes);
        alice.req().get(URL).then().statusCode(200).body("items.noradId", equalTo(List.of(norad)));
    }

    /** Every replica's scheduler fires; the database lets one of them run each interval. */
    @Test
    void replicasRunTheScheduledJobOncePerInterval() {
        String a = TestClient.newTenant();
        int norad = Api.newNorad();
        Api.publisher(a).upload("text/plain", Api.Tles.threeLe("GUARDED", norad, "24010.50000000")).then().statusCode(200);
        new Api(a, "alice", "builder").req().put(URL + "/" + norad).then().statusCode(201);
        Duration every = Duration.ofHours(6);
        // an hour of its own, far from any other run of this test
        Instant t0 = Instant.now().plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(1000, 100_000)))
                .truncatedTo(ChronoUnit.HOURS);

        var replicaA = CompletableFuture.supplyAsync(() -> onVertx(() -> job.screenProtectedAssetsOnce(t0, every)));
        var replicaB = CompletableFuture
                .supplyAsync(() -> onVertx(() -> job.screenProtectedAssetsOnce(t0.plusMillis(5), every)));
        List<List<Screening>> runs = List.of(replicaA.join(), replicaB.join());
        assertEquals(1, runs.stream().filter(r -> r.stream().anyMatch(s -> s.tenant().equals(a))).count(),
                "one replica screens, the other finds the interval taken: " + runs);
        assertTrue(runs.stream().anyMatch(List::isEmpty));

        assertEquals(List.of(), onVertx(() -> job.screenProtectedAssetsOnce(t0.plus(Duration.ofHours(2)), every)),
                "a replica whose timer fires two hours later does not run it again");
        assertTrue(onVertx(() -> job.screenProtectedAssetsOnce(t0.plus(every), every)).stream()
                .anyMatch(s -> s.tenant().equals(a)), "the next interval runs");
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the job as the scheduler does: on a Vert.x context, where Hibernate Reactive sessions live. */
    private static <T> T onVertx(java.util.function.Supplier<Uni<T>> job) {
        try {
            return VertxContextSupport.subscribeAndAwait(job::get);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
