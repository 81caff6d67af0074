package io.defensebuilders.gateway;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SmokeTest {

    @Test
    void bootstrapKeyProxiesToTheStub() {
        String tenant = Gw.newTenant(null);
        String key = Gw.key(tenant, "publisher");
        Gw.as(key).get("/api/v1/stub/echo").then().log().ifValidationFails().statusCode(200)
                .body("headers.authorization", startsWith("Bearer ey"))
                .body("headers.'x-api-key'", equalTo(null));
    }
}
