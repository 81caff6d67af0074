package io.defensebuilders.registry;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict SemVer 2.0 version (semver.org's grammar: no leading "v", no leading zeros), ordered by SemVer precedence
 * exactly as npm's semver orders it; build metadata is kept but ignored for precedence, as the spec says. Numbers
 * are at most 2^53 - 1, npm's limit.
 *
 * @param major major version
 * @param minor minor version
 * @param patch patch version
 * @param pre prerelease identifiers, empty for a release
 * @param build build metadata without its '+', or null
 */
public record SemVer(long major, long minor, long patch, List<String> pre, String build) implements Comparable<SemVer> {

    /** npm's Number.MAX_SAFE_INTEGER bound on version numbers. */
    static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;
    /** npm's bound on the length of a version. */
    static final int MAX_LENGTH = 256;

    // the regular expression published with SemVer 2.0.0
    private static final Pattern STRICT = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    public static final Comparator<SemVer> PRECEDENCE = Comparator.naturalOrder();

    public SemVer {
        pre = List.copyOf(pre);
    }

    /** Parses a version as published; empty when it is not strict SemVer 2.0, longer than 256 characters or too big. */
    public static Optional<SemVer> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = STRICT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long major = safe(m.group(1));
        long minor = safe(m.group(2));
        long patch = safe(m.group(3));
        if (major < 0 || minor < 0 || patch < 0) {
            return Optional.empty();
        }
        return Optional.of(new SemVer(major, minor, patch, m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.")),
                m.group(5)));
    }

    /** The number, or -1 when it is above {@link #MAX_SAFE_INTEGER}. */
    private static long safe(String digits) {
        if (digits.length() > 16) {
            return -1;
        }
        long n = Long.parseLong(digits);
        return n > MAX_SAFE_INTEGER ? -1 : n;
    }

    /** The version as published, build metadata included. */
    public String text() {
        return build == null ? key() : key() + "+" + build;
    }

    /** The version without build metadata: two versions with the same key are the same version. */
    public String key() {
        String main = major + "." + minor + "." + patch;
        return pre.isEmpty() ? main : main + "-" + String.join(".", pre);
    }

    public boolean prerelease() {
        return !pre.isEmpty();
    }

    @Override
    public int compareTo(SemVer other) {
        int main = Long.compare(major, other.major);
        if (main == 0) {
            main = Long.compare(minor, other.minor);
        }
        if (main == 0) {
            main = Long.compare(patch, other.patch);
        }
        if (main != 0) {
            return main;
        }
        // a release is above its prereleases
        if (pre.isEmpty() || other.pre.isEmpty()) {
            return Boolean.compare(pre.isEmpty(), other.pre.isEmpty());
        }
        for (int i = 0; i < Math.max(pre.size(), other.pre.size()); i++) {
            if (i >= pre.size()) {
                return -1;
            }
            if (i >= other.pre.size()) {
                return 1;
            }
            int c = compareIdentifiers(pre.get(i), other.pre.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Numeric identifiers compare as numbers and below alphanumeric ones, which compare as text (npm's rule). */
    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = NUMERIC.matcher(a).matches();
        boolean bNumeric = NUMERIC.matcher(b).matches();
        if (aNumeric && bNumeric) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer other && text().equals(other.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * A range in npm's syntax ({@code ^1.2}, {@code ~1.2.3}, {@code >=1 <2}, {@code 1.2.3 - 2}, {@code 1.x || 3},
     * {@code *}, ...), meaning exactly what npm's semver makes of it (NpmRanges), which
     * src/test/resources/npm-semver/ranges.tsv, written by npm's semver itself, checks.
     */
    public record Range(String text, boolean includePrerelease, List<List<NpmRanges.Comparator>> set) {

        /** Longest range accepted (npm has no limit; a request parameter needs one). */
        public static final int MAX_TEXT = 256;

        /** Parses an npm range; empty when npm would not take it as one (it is then a dist-tag name, if anything). */
        public static Optional<Range> parse(String text, boolean includePrerelease) {
            if (text == null || text.length() > MAX_TEXT) {
                return Optional.empty();
            }
            return NpmRanges.parse(text, includePrerelease).map(set -> new Range(text.trim(), includePrerelease, set));
        }

        /** Whether {@code version} satisfies the range (npm's {@code satisfies}). */
        public boolean satisfiedBy(SemVer version) {
            for (List<NpmRanges.Comparator> comparators : set) {
                if (NpmRanges.test(comparators, version, includePrerelease)) {
                    return true;
                }
            }
            return false;
        }
    }
}
