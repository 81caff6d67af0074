package io.defensebuilders.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** SemVer 2.0 parsing and precedence, and npm range syntax. */
class SemVerTest {

    @Test
    void acceptsOnlyStrictSemVer() {
        for (String ok : List.of("0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
                "1.0.0-x.7.z.92", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85")) {
            assertTrue(SemVer.parse(ok).isPresent(), ok);
        }
        for (String bad : List.of("1", "1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3.4",
                " 1.2.3", "latest", "")) {
            assertFalse(SemVer.parse(bad).isPresent(), bad);
        }
    }

    @Test
    void ordersByPrecedence() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0");
        List<String> sorted = ordered.reversed().stream().map(v -> SemVer.parse(v).orElseThrow()).sorted()
                .map(SemVer::text).toList();
        assertEquals(ordered, sorted);
        assertEquals(SemVer.parse("1.0.0+a").orElseThrow().key(), SemVer.parse("1.0.0+b").orElseThrow().key());
    }

    @Test
    void parsesNpmRangesAndRefusesGarbage() {
        for (String ok : List.of("^1.2", "~1.2.3", ">=1 <2", "1.2.3", "1.x", "*", "1.2.3 - 2.3.4", "^1 || ^2",
                ">= 1.2.0", "~> 1.2")) {
            assertTrue(SemVer.Range.parse(ok, false).isPresent(), ok);
        }
        // "||" and ">=1 ||" are ranges to npm (an empty alternative is "*"): NpmRangeConformanceTest
        for (String bad : List.of("beta", "latest", "^1.2 foo", "1.2.3.4", "=>1", "^^1", "99999999999999999999")) {
            assertFalse(SemVer.Range.parse(bad, false).isPresent(), bad);
        }
    }

    @Test
    void prereleasesMatchOnlyWhenTheRangeAsksForThem() {
        SemVer.Range caret = SemVer.Range.parse("^1.2.0-beta.1", false).orElseThrow();
        assertTrue(caret.satisfiedBy(SemVer.parse("1.2.0-beta.3").orElseThrow()));
        assertFalse(caret.satisfiedBy(SemVer.parse("1.5.0-beta.1").orElseThrow()));
        assertFalse(SemVer.Range.parse("^1", false).orElseThrow().satisfiedBy(SemVer.parse("1.5.0-rc.1").orElseThrow()));
        assertTrue(SemVer.Range.parse("^1", true).orElseThrow().satisfiedBy(SemVer.parse("1.5.0-rc.1").orElseThrow()));
    }
}
