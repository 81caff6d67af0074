package io.defensebuilders.registry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Creating SDKs and publishing immutable versions; yank, deprecate, dist-tags and latest. */
@QuarkusTest
class PublishingTest {

    private final Api alice = Api.publisher(TestClient.newTenant());

    @Test
    void createsAnSdkWithCanonicalLicenseAndKnownCategories() {
        String publisher = alice.createPublisher();
        String name = TestClient.unique("orbit-kit");
        alice.req().body(Map.of("name", name, "publisher", publisher, "title", "Orbit Kit", "license",
                "apache-2.0 OR mit", "tags", List.of("orbits", "sgp4", "orbits"), "categories", List.of("space"),
                "visibility", "public", "homepage", "https://example.org/orbit-kit"))
                .post("/api/v1/sdks").then().statusCode(201)
                .header("Location", containsString("/api/v1/sdks/" + name))
                .body("license", equalTo("Apache-2.0 OR MIT"))
                .body("tags", equalTo(List.of("orbits", "sgp4")))
                .body("publisher", equalTo(publisher))
                .body("latestVersion", nullValue());
    }

    @Test
    void rejectsBadSdkFieldsWithProblemDetails() {
        String publisher = alice.createPublisher();
        Map<String, Object> valid = Map.of("name", TestClient.unique("ok"), "publisher", publisher, "title", "T", "license",
                "MIT", "visibility", "public");
        record Case(String field, Object value) {
        }
        for (Case c : List.of(new Case("name", "Bad_Name"), new Case("name", "-leading"), new Case("name", "x".repeat(65)),
                new Case("license", "MIT-ish"), new Case("license", "MIT AND"), new Case("categories", List.of("cooking")),
                new Case("visibility", "secret"), new Case("homepage", "ftp://x"), new Case("tags", List.of("Has Space")))) {
            Map<String, Object> body = new java.util.HashMap<>(valid);
            body.put(c.field(), c.value());
            alice.req().body(body).post("/api/v1/sdks").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString(c.field().equals("visibility") ? "visibility" : c.field()));
        }
        alice.req().body("{\"name\": ").post("/api/v1/sdks").then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("bad-request"));
        // a key given twice is refused, and said so in the API's words
        alice.req().body("{\"name\": \"a-b\", \"name\": \"c-d\"}").post("/api/v1/sdks").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("is given more than once"));
        alice.req().body(Map.of("name", TestClient.unique("x"))).post("/api/v1/sdks").then().statusCode(400)
                .body("errors.field", hasItem("publisher"));
    }

    @Test
    void sdkNamesAreUniqueAcrossTenants() {
        String name = alice.createSdk(TestClient.unique("taken"), "private");
        Api bob = Api.publisher(TestClient.newTenant());
        String bobs = bob.createPublisher();
        bob.req().body(Map.of("name", name, "publisher", bobs, "title", "T", "license", "MIT", "visibility", "public"))
                .post("/api/v1/sdks").then().statusCode(409).body("type", containsString("conflict"));
    }

    @Test
    void cannotCreateAnSdkUnderAnotherTenantsPublisher() {
        String publisher = alice.createPublisher();
        Api bob = Api.publisher(TestClient.newTenant());
        bob.req().body(Map.of("name", TestClient.unique("sneaky"), "publisher", publisher, "title", "T", "license", "MIT",
                "visibility", "public")).post("/api/v1/sdks").then().statusCode(400)
                .body("errors.field", hasItem("publisher"));
    }

    @Test
    void rejectsSecondPublishOfSameVersionEvenAfterYank() {
        String sdk = alice.createSdk(TestClient.unique("immutable"), "public");
        alice.publish(sdk, "1.0.0");
        alice.req().body(Map.of("version", "1.0.0")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(409);
        // same precedence, different build metadata: the same version
        alice.req().body(Map.of("version", "1.0.0+build.7")).post("/api/v1/sdks/" + sdk + "/versions").then()
                .statusCode(409);
        alice.req().body(Map.of("reason", "leaked key")).post("/api/v1/sdks/" + sdk + "/versions/1.0.0/yank").then()
                .statusCode(200).body("yanked", equalTo(true)).body("yankReason", equalTo("leaked key"));
        alice.req().body(Map.of("version", "1.0.0")).post("/api/v1/sdks/" + sdk + "/versions").then().statusCode(409);
    }

    @Test
    void rejectsVersionsThatAreNotStrictSemVer() {
        String sdk = alice.createSdk(TestClient.unique("strict"), "public");
        for (String bad : List.of("1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "latest", "1.0.0 ")) {
            alice.req().body(Map.of("version", bad)).post("/api/v1/sdks/" + sdk + "/versions").then()
                    .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("version"));
        }
    }

    @Test
    void latestFollowsHighestStableUnyankedVersion() {
        String sdk = alice.createSdk(TestClient.unique("latest"), "public");
        alice.publish(sdk, "1.0.0");
        alice.publish(sdk, "1.10.0");
        alice.publish(sdk, "1.9.0");
        alice.publish(sdk, "2.0.0-rc.1");
        alice.req().get("/api/v1/sdks/" + sdk).then().body("latestVersion", equalTo("1.10.0"));
        alice.req().body(Map.of("reason", "broken")).post("/api/v1/sdks/" + sdk + "/versions/1.10.0/yank").then()
                .statusCode(200);
        alice.req().get("/api/v1/sdks/" + sdk).then().body("latestVersion", equalTo("1.9.0"));
        alice.req().delete("/api/v1/sdks/" + sdk + "/versions/1.10.0/yank").then().statusCode(200)
                .body("yanked", equalTo(false));
        alice.req().get("/api/v1/sdks/" + sdk + "/dist-tags").then().body("latest", equalTo("1.10.0"));
        alice.req().get("/api/v1/sdks/" + sdk + "/versions").then().statusCode(200)
                .body("version", equalTo(List.of("2.0.0-rc.1", "1.10.0", "1.9.0", "1.0.0")));
    }

    @Test
    void distTagsPointAtVersionsAndLatestIsReserved() {
        String sdk = alice.createSdk(TestClient.unique("tags"), "public");
        alice.publish(sdk, "1.0.0");
        alice.publish(sdk, "2.0.0-beta.1");
        alice.req().body(Map.of("version", "2.0.0-beta.1")).put("/api/v1/sdks/" + sdk + "/dist-tags/beta").then()
                .statusCode(200).body("beta", equalTo("2.0.0-beta.1")).body("latest", equalTo("1.0.0"));
        alice.req().body(Map.of("version", "1.0.0")).put("/api/v1/sdks/" + sdk + "/dist-tags/latest").then()
                .statusCode(400);
        alice.req().body(Map.of("version", "1.0.0")).put("/api/v1/sdks/" + sdk + "/dist-tags/1.x").then()
                .statusCode(400);
        alice.req().body(Map.of("version", "9.9.9")).put("/api/v1/sdks/" + sdk + "/dist-tags/next").then()
                .statusCode(400).body("detail", containsString("9.9.9"));
        alice.req().delete("/api/v1/sdks/" + sdk + "/dist-tags/beta").then().statusCode(204);
        alice.req().get("/api/v1/sdks/" + sdk + "/dist-tags").then().body("$", not(hasKey("beta")));
        alice.req().delete("/api/v1/sdks/" + sdk + "/dist-tags/beta").then().statusCode(404);
    }

    @Test
    void deprecationCarriesAMessageAndCanBeLifted() {
        String sdk = alice.createSdk(TestClient.unique("deprecated"), "public");
        alice.publish(sdk, "1.0.0");
        alice.req().body(Map.of("message", "use 2.x")).post("/api/v1/sdks/" + sdk + "/versions/1.0.0/deprecate").then()
                .statusCode(200).body("deprecated", equalTo(true)).body("deprecationMessage", equalTo("use 2.x"));
        alice.req().body(Map.of("message", "")).post("/api/v1/sdks/" + sdk + "/versions/1.0.0/deprecate").then()
                .statusCode(400);
        alice.req().delete("/api/v1/sdks/" + sdk + "/versions/1.0.0/deprecate").then().statusCode(200)
                .body("deprecated", equalTo(false));
    }

    @Test
    void metadataChangesButVersionsDoNot() {
        String sdk = alice.createSdk(TestClient.unique("patch"), "public");
        alice.publish(sdk, "1.0.0");
        alice.req().body(Map.of("title", "New title", "homepage", "https://example.org", "categories", List.of("ml")))
                .patch("/api/v1/sdks/" + sdk).then().statusCode(200)
                .body("title", equalTo("New title")).body("categories", equalTo(List.of("ml")))
                .body("license", equalTo("Apache-2.0"));
        alice.req().body(Map.of("homepage", "")).patch("/api/v1/sdks/" + sdk).then().statusCode(200)
                .body("homepage", nullValue());
        alice.req().get("/api/v1/sdks/" + sdk + "/versions/1.0.0").then().statusCode(200)
                .body("readme", equalTo("# " + sdk + " 1.0.0"));
    }

    @Test
    void twoConcurrentPublishesOfOneVersionHaveExactlyOneWinner() throws Exception {
        String sdk = alice.createSdk(TestClient.unique("race"), "public");
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            Callable<Integer> publish = () -> {
                start.await();
                return alice.req().body(Map.of("version", "3.1.4", "readme", "race"))
                        .post("/api/v1/sdks/" + sdk + "/versions").statusCode();
            };
            results.add(pool.submit(publish));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "statuses: " + statuses);
        assertEquals(contenders - 1, statuses.stream().filter(s -> s == 409).count(), "statuses: " + statuses);
    }

    @Test
    void unknownSdksAndVersionsAre404Problems() {
        alice.req().get("/api/v1/sdks/" + TestClient.unique("nope")).then().statusCode(404)
                .contentType("application/problem+json").body("type", containsString("not-found"));
        alice.req().get("/api/v1/sdks/NOT_A_NAME").then().statusCode(404);
        String sdk = alice.createSdk(TestClient.unique("ver404"), "public");
        alice.req().get("/api/v1/sdks/" + sdk + "/versions/4.0.0").then().statusCode(404);
        alice.req().get("/api/v1/sdks/" + sdk + "/versions/not-semver").then().statusCode(400);
        alice.req().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }
}
