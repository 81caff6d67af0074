package io.defensebuilders.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What people type into curl unencoded becomes a target java.net.URI (and so Quarkus and JAX-RS) accepts. */
class RequestTargetTest {

    @Test
    void charactersThatCanOnlyMeanThemselvesAreEncoded() {
        assertEquals("/api/v1/sdks/orbit-kit/resolve?range=%5E1",
                RouteProblems.encoded("/api/v1/sdks/orbit-kit/resolve?range=^1"));
        assertEquals("/s?range=%3E=1%20%7C%7C%20%3C0", RouteProblems.encoded("/s?range=>=1 || <0"));
        assertEquals("/s?f%5Ba%5D=%7B%22x%22%7D&q=a%5Cb%60", RouteProblems.encoded("/s?f[a]={\"x\"}&q=a\\b`"));
    }

    @Test
    void escapesStayAndALonePercentMeansItself() {
        assertEquals("/s?range=%5E1&name=%C3%A9", RouteProblems.encoded("/s?range=%5E1&name=%C3%A9"));
        assertEquals("/s?x=100%25&y=%25zz&z=%25", RouteProblems.encoded("/s?x=100%&y=%zz&z=%"));
    }
}
