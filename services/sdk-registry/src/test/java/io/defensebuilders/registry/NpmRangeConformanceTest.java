package io.defensebuilders.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Ranges resolve exactly as npm's own semver package resolves them: which strings are ranges at all (the rest are
 * dist-tags), which versions satisfy each one, with and without prereleases, and the highest that does. The table,
 * src/test/resources/npm-semver/ranges.tsv, was written by npm's semver itself (generate.js beside it).
 */
class NpmRangeConformanceTest {

    @Test
    void everyRangeOfTheTableResolvesAsNpmResolvesIt() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/npm-semver/ranges.tsv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<SemVer> versions = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        int ranges = 0;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("versions")) {
                Arrays.stream(f).skip(1).map(v -> SemVer.parse(v).orElseThrow()).forEach(versions::add);
            } else if (f[0].equals("range")) {
                ranges++;
                String text = f[1].replace("\\t", "\t");
                boolean npmValid = !f[2].equals("-");
                for (boolean pre : new boolean[] { false, true }) {
                    Optional<SemVer.Range> range;
                    try {
                        range = SemVer.Range.parse(text, pre);
                    } catch (RuntimeException e) {
                        mismatches.add("'" + text + "': " + e);
                        break;
                    }
                    if (range.isPresent() != npmValid) {
                        mismatches.add("'" + text + "': npm " + (npmValid ? "takes it as " + f[2] : "refuses it") + ", we "
                                + (range.isPresent() ? "take it" : "refuse it"));
                        break;
                    }
                    if (range.isEmpty()) {
                        break;
                    }
                    String expected = f[pre ? 4 : 3];
                    String actual = String.join(" ", versions.stream().filter(range.get()::satisfiedBy).map(SemVer::text)
                            .toList());
                    if (!expected.equals(actual.isEmpty() ? "-" : actual)) {
                        mismatches.add("'" + text + "'" + (pre ? " (includePrerelease)" : "") + ": npm [" + expected
                                + "], we [" + actual + "]");
                    }
                    String max = versions.stream().filter(range.get()::satisfiedBy).max(SemVer.PRECEDENCE)
                            .map(SemVer::text).orElse("-");
                    if (!max.equals(f[pre ? 6 : 5])) {
                        mismatches.add("'" + text + "'" + (pre ? " (includePrerelease)" : "") + ": npm's highest "
                                + f[pre ? 6 : 5] + ", ours " + max);
                    }
                }
            }
        }
        assertTrue(ranges > 100 && versions.size() > 20, "the table is read");
        assertTrue(mismatches.isEmpty(), mismatches.size() + " differences from npm:\n" + String.join("\n", mismatches));
    }
}
