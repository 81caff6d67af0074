package io.defensebuilders.orbital;

import static io.restassured.RestAssured.given;

import java.util.concurrent.atomic.AtomicInteger;

import io.defensebuilders.testing.quarkus.TestClient;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Test client: a caller of one tenant with given roles, and builders of valid element sets for fresh objects. */
public record Api(String tenant, String subject, String... roles) implements TestClient {

    /** Decimal numbers in responses read as doubles (rest-assured's default, float, loses the digits under test). */
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    /** Catalog numbers no other test uses (the Vallado cases are below 50000). */
    private static final AtomicInteger NEXT_NORAD = new AtomicInteger(50_000);

    public static Api publisher(String tenant) {
        return new Api(tenant, "user-" + tenant, "publisher");
    }

    public static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

    /** A NORAD id nobody else uses in this test run. */
    public static int newNorad() {
        return NEXT_NORAD.getAndIncrement();
    }

    @Override
    public RequestSpecification req() {
        return given().config(DOUBLES).header("Authorization", "Bearer " + token()).contentType(ContentType.JSON);
    }

    /** Uploads element-set text with the given content type. */
    public Response upload(String contentType, String body) {
        return given().config(DOUBLES).header("Authorization", "Bearer " + token()).contentType(contentType).body(body)
                .post("/api/v1/orbital/element-sets");
    }

    /**
     * A CCSDS OMM in KVN of a low Earth orbit (15.2 rev/day, e 0.001, i 97.4 deg), COSPAR id 2024-001A: the
     * object's name, catalog number, epoch (e.g. {@code 2024-02-19T00:00:00}) and B* as given.
     */
    public static String kvn(String name, int norad, String epoch, String bstar) {
        return """
                CCSDS_OMM_VERS = 2.0
                OBJECT_NAME = %s
                OBJECT_ID = 2024-001A
                EPOCH = %s
                MEAN_MOTION = 15.2
                ECCENTRICITY = 0.001
                INCLINATION = 97.4
                RA_OF_ASC_NODE = 10
                ARG_OF_PERICENTER = 20
                MEAN_ANOMALY = 30
                NORAD_CAT_ID = %d
                BSTAR = %s
                MEAN_MOTION_DOT = 0.00001
                MEAN_MOTION_DDOT = 0
                """.formatted(name, epoch, norad, bstar);
    }

    /** TLE line pairs built from Vallado's 00005 case with another catalog number and epoch, checksums fixed. */
    public static final class Tles {
        static final String LINE1 = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753";
        static final String LINE2 = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667";

        private Tles() {
        }

        /** {@code epoch}: 14 characters, YYDDD.DDDDDDDD. */
        public static String[] of(int norad, String epoch) {
            String sat = String.format("%05d", norad);
            return new String[] {
                    withChecksum("1 " + sat + LINE1.substring(7, 18) + epoch + LINE1.substring(32)),
                    withChecksum("2 " + sat + LINE2.substring(7)) };
        }

        /** A 3LE text block: name line and the two lines. */
        public static String threeLe(String name, int norad, String epoch) {
            String[] l = of(norad, epoch);
            return name + "\n" + l[0] + "\n" + l[1] + "\n";
        }

        public static String withChecksum(String line) {
            int sum = 0;
            for (int i = 0; i < 68; i++) {
                char c = line.charAt(i);
                sum += Character.isDigit(c) ? c - '0' : c == '-' ? 1 : 0;
            }
            return line.substring(0, 68) + (sum % 10);
        }
    }
}
