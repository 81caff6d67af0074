package io.defensebuilders.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * A strict SemVer 2.0 version (semver.org's grammar: no leading "v", no leading zeros), ordered by SemVer
 * precedence. Build metadata is kept but ignored for equality of precedence, as the spec says.
 */
public record SemVer(Semver semver) implements Comparable<SemVer> {

    // the regular expression published with SemVer 2.0.0
    private static final Pattern STRICT = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    // one comparator of an npm range: operator and a (possibly partial, x-ranged) version
    private static final Pattern COMPARATOR = Pattern.compile(
            "^(<=|>=|<|>|=|~>|~|\\^)?v?(\\d+|[xX*])(\\.(\\d+|[xX*]))?(\\.(\\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");

    public static final Comparator<SemVer> PRECEDENCE = Comparator.naturalOrder();

    /** Parses a version as published; empty when it is not strict SemVer 2.0 or longer than 128 characters. */
    public static Optional<SemVer> parse(String text) {
        if (text == null || text.length() > 128 || !STRICT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new SemVer(Semver.parse(text)));
    }

    /** The version as published, build metadata included. */
    public String text() {
        return semver.getVersion();
    }

    /** The version without build metadata: two versions with the same key are the same version. */
    public String key() {
        return semver.withClearedBuild().getVersion();
    }

    public boolean prerelease() {
        return !semver.getPreRelease().isEmpty();
    }

    @Override
    public int compareTo(SemVer other) {
        return semver.compareTo(other.semver);
    }

    @Override
    public String toString() {
        return text();
    }

    /** An npm-style range: {@code ^1.2}, {@code ~1.2.3}, {@code >=1 <2}, {@code 1.2.3 - 2}, {@code 1.x || 3}, ... */
    public record Range(String text, RangesList ranges) {

        /** Parses an npm range; empty when any part of it is not range syntax. */
        public static Optional<Range> parse(String text, boolean includePrerelease) {
            if (text == null || text.isBlank() || text.length() > 256) {
                return Optional.empty();
            }
            String trimmed = text.trim();
            for (String alternative : trimmed.split("\\|\\|", -1)) {
                if (alternative.isBlank() || !validAlternative(alternative.trim())) {
                    return Optional.empty();
                }
            }
            RangesList ranges = RangesListFactory.create(trimmed, includePrerelease);
            return ranges.get().isEmpty() ? Optional.empty() : Optional.of(new Range(trimmed, ranges));
        }

        private static boolean validAlternative(String alternative) {
            List<String> tokens = List.of(alternative.replaceAll("(<=|>=|<|>|=|~>|~|\\^)\\s+", "$1").split("\\s+"));
            if (tokens.size() == 3 && tokens.get(1).equals("-")) {
                return COMPARATOR.matcher(tokens.get(0)).matches() && COMPARATOR.matcher(tokens.get(2)).matches();
            }
            return tokens.stream().allMatch(t -> COMPARATOR.matcher(t).matches());
        }

        public boolean satisfiedBy(SemVer version) {
            return ranges.isSatisfiedBy(version.semver());
        }
    }
}
