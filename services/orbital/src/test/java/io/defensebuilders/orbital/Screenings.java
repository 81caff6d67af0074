package io.defensebuilders.orbital;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;

import io.restassured.path.json.JsonPath;

/** Waits for a screening, which runs asynchronously, to reach a status, as its creator sees it. */
final class Screenings {

    private Screenings() {
    }

    /**
     * Polls {@code location} as {@code who} every 200 ms until the screening's status is {@code status}; a screening
     * that failed when something else was wanted fails at once, with its error.
     */
    static JsonPath awaitStatus(Api who, String location, String status, Duration timeout) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        try {
            return await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonPath s = who.req().get(location).then().statusCode(200).extract().jsonPath();
                last.set(s);
                if (!"failed".equals(status)) {
                    assertNotEquals("failed", s.getString("status"), "screening failed: " + s.prettify());
                }
                return s;
            }, s -> status.equals(s.getString("status")));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("screening not " + status + " within " + timeout + ": "
                    + (last.get() == null ? "no answer" : last.get().prettify()), e);
        }
    }
}
