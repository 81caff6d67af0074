package io.defensebuilders.registry;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Search: full text plus trigram similarity, filters, sorts and cursor pagination, within tenancy. */
@QuarkusTest
class SearchTest {

    private final Api alice = Api.publisher(TestClient.newTenant());

    private String sdk(String name, String title, String description, List<String> tags, List<String> categories,
            String visibility) {
        String publisher = alice.createPublisher();
        alice.req().body(Map.of("name", name, "publisher", publisher, "title", title, "description", description,
                "license", "MIT", "tags", tags, "categories", categories, "visibility", visibility))
                .post("/api/v1/sdks").then().statusCode(201);
        return name;
    }

    @Test
    void findsMisspelledNamesByTrigramSimilarity() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String name = "tak-server-" + suffix;
        sdk(name, "TAK Server " + suffix, "Team Awareness Kit server integration", List.of("tak", "cot"),
                List.of("c2"), "public");
        Api.viewer(TestClient.newTenant()).req().queryParam("q", "tak servr " + suffix).get("/api/v1/sdks").then()
                .statusCode(200).body("items.name", hasItem(name));
    }

    @Test
    void findsWordsInDescriptionAndReadme() {
        String marker = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String name = sdk(TestClient.unique("readme-search"), "Plain title", "nothing here", List.of(), List.of(), "public");
        alice.req().body(Map.of("version", "1.0.0", "readme", "Propagates orbits with " + marker + " precision"))
                .post("/api/v1/sdks/" + name + "/versions").then().statusCode(201);
        alice.req().queryParam("q", marker).get("/api/v1/sdks").then().statusCode(200)
                .body("items.name", equalTo(List.of(name)));
    }

    @Test
    void filtersByCategoryTagAndPublisherAndHidesOtherTenantsPrivateSdks() {
        String word = "flt" + UUID.randomUUID().toString().substring(0, 6);
        String spaceOne = sdk(TestClient.unique("a"), word + " space", "", List.of(word), List.of("space"), "public");
        sdk(TestClient.unique("b"), word + " data", "", List.of(word), List.of("data"), "public");
        String secret = sdk(TestClient.unique("c"), word + " secret", "", List.of(word), List.of("space"), "private");
        Api bob = Api.viewer(TestClient.newTenant());
        bob.req().queryParam("tag", word).queryParam("category", "space").get("/api/v1/sdks").then().statusCode(200)
                .body("items.name", equalTo(List.of(spaceOne)));
        alice.req().queryParam("tag", word).queryParam("category", "space").queryParam("sort", "recent")
                .get("/api/v1/sdks").then().body("items.name", equalTo(List.of(secret, spaceOne)));
        bob.req().queryParam("q", word).get("/api/v1/sdks").then().body("items.name", not(hasItem(secret)));
        bob.req().queryParam("publisher", "pub-" + alice.tenant()).queryParam("tag", word).get("/api/v1/sdks").then()
                .body("items.size()", equalTo(2));
    }

    @Test
    void paginatesWithCursorsWithoutGapsOrRepeats() {
        String word = "pg" + UUID.randomUUID().toString().substring(0, 6);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(sdk(TestClient.unique("page" + i), word + " item " + i, "", List.of(word), List.of(), "public"));
        }
        for (String sort : List.of("recent", "downloads", "relevance")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var req = alice.req().queryParam("tag", word).queryParam("limit", 3).queryParam("sort", sort)
                        .queryParam("q", sort.equals("relevance") ? word : null);
                if (cursor != null) {
                    req.queryParam("cursor", cursor);
                }
                var page = req.get("/api/v1/sdks").then().statusCode(200).extract();
                seen.addAll(page.path("items.name"));
                cursor = page.path("nextCursor");
                pages++;
            } while (cursor != null && pages < 10);
            assertEquals(3, pages, sort);
            assertEquals(7, seen.size(), sort + ": " + seen);
            assertEquals(new HashSet<>(created), new HashSet<>(seen), sort);
        }
    }

    @Test
    void ranksExactNameAboveLooseMatches() {
        String word = "rk" + UUID.randomUUID().toString().substring(0, 6);
        String exact = sdk(word, "Something", "", List.of(), List.of(), "public");
        String inTitle = sdk(TestClient.unique("titled"), "Also " + word, "mentions " + word, List.of(), List.of(), "public");
        String inReadme = sdk(TestClient.unique("readme-only"), "Unrelated", "", List.of(), List.of(), "public");
        alice.req().body(Map.of("version", "1.0.0", "readme", "works well with " + word))
                .post("/api/v1/sdks/" + inReadme + "/versions").then().statusCode(201);
        List<String> names = alice.req().queryParam("q", word).get("/api/v1/sdks").then().statusCode(200).extract()
                .path("items.name");
        assertEquals(List.of(exact, inTitle, inReadme), names);
    }

    @Test
    void rejectsBadSearchParameters() {
        alice.req().queryParam("limit", 0).get("/api/v1/sdks").then().statusCode(400);
        alice.req().queryParam("limit", 1000).get("/api/v1/sdks").then().statusCode(400);
        alice.req().queryParam("limit", "abc").get("/api/v1/sdks").then().statusCode(400);
        alice.req().queryParam("sort", "random").get("/api/v1/sdks").then().statusCode(400);
        alice.req().queryParam("sort", "relevance").get("/api/v1/sdks").then().statusCode(400);
        alice.req().queryParam("category", "cooking").get("/api/v1/sdks").then().statusCode(400);
        alice.req().queryParam("cursor", "not-a-cursor").get("/api/v1/sdks").then().statusCode(400)
                .contentType("application/problem+json");
        alice.req().queryParam("q", "x".repeat(201)).get("/api/v1/sdks").then().statusCode(400);
        // a cursor from one sort order is refused by another
        String word = "cs" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 2; i++) {
            sdk(TestClient.unique("cur" + i), word, "", List.of(word), List.of(), "public");
        }
        String cursor = alice.req().queryParam("tag", word).queryParam("limit", 1).queryParam("sort", "recent")
                .get("/api/v1/sdks").then().extract().path("nextCursor");
        alice.req().queryParam("tag", word).queryParam("sort", "downloads").queryParam("cursor", cursor)
                .get("/api/v1/sdks").then().statusCode(400);
        // a query of only punctuation is not an error
        alice.req().queryParam("q", "&|!():*").get("/api/v1/sdks").then().statusCode(200);
    }
}
