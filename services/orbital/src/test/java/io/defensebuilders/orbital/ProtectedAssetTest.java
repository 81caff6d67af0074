package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.orbital.repository.ScreeningRepository.Screening;
import io.defensebuilders.orbital.service.ProtectedAssetService;
import io.quarkus.test.junit.QuarkusTest;

/** Protected assets per tenant, and their scheduled screening owned by that tenant. */
@QuarkusTest
class ProtectedAssetTest {

    @Inject
    ProtectedAssetService job;

    static final String URL = "/api/v1/orbital/protected-assets";

    @Test
    void eachTenantHasItsOwnListAndItsOwnScheduledScreening() {
        String a = Api.newTenant();
        String b = Api.newTenant();
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

        List<Screening> created = job.screenProtectedAssets().await().indefinitely();
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
}
