package io.defensebuilders.registry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * npm's range grammar and semantics, step for step as npm's semver package (7.x, classes/range.js) does them: the same
 * regular expressions (its length-bounded "safe" forms), the same rewriting of hyphen, tilde, caret, x-range and star
 * ranges into comparators, the same prerelease rule. No maintained Java library does this exactly (semver4j, which
 * the registry used before, differed on 48 cases of the conformance table: {@code x}, {@code *.*.*}, {@code ||},
 * {@code >*}, numbers above 2^31, ...), and a registry that resolves a range differently from the npm client its
 * users know would pick versions they did not ask for.
 */
final class NpmRanges {

    private NpmRanges() {
    }

    /** One comparator: an operator ("", "<", "<=", ">", ">=") and a version, or ANY ({@code version} null). */
    record Comparator(String operator, SemVer version) {
        String value() {
            return version == null ? "" : operator + version.key();
        }

        boolean test(SemVer v) {
            if (version == null) {
                return true;
            }
            int c = v.compareTo(version);
            return switch (operator) {
                case "" -> c == 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                default -> throw new IllegalStateException(operator);
            };
        }
    }

    /** A string npm does not take as a range. */
    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    // re.js, as safeRe: \s* is \s{0,1} and \s+ is \s{1,1} (whitespace is collapsed first), \d* is \d{0,256}, a run
    // of [a-zA-Z0-9-] at most 250
    private static final String NUM = "0|[1-9]\\d{0,256}";
    private static final String NUM_LOOSE = "\\d{1,256}";
    private static final String NON_NUM = "\\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}";
    private static final String MAIN = "(" + NUM + ")\\.(" + NUM + ")\\.(" + NUM + ")";
    private static final String MAIN_LOOSE = "(" + NUM_LOOSE + ")\\.(" + NUM_LOOSE + ")\\.(" + NUM_LOOSE + ")";
    private static final String PRE_ID = "(?:" + NON_NUM + "|" + NUM + ")";
    private static final String PRE_ID_LOOSE = "(?:" + NON_NUM + "|" + NUM_LOOSE + ")";
    private static final String PRERELEASE = "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))";
    private static final String PRERELEASE_LOOSE = "(?:-?(" + PRE_ID_LOOSE + "(?:\\." + PRE_ID_LOOSE + ")*))";
    private static final String BUILD_ID = "[a-zA-Z0-9-]{1,250}";
    private static final String BUILD = "(?:\\+(" + BUILD_ID + "(?:\\." + BUILD_ID + ")*))";
    private static final String FULL_PLAIN = "v?" + MAIN + PRERELEASE + "?" + BUILD + "?";
    private static final String LOOSE_PLAIN = "[v=\\s]*" + MAIN_LOOSE + PRERELEASE_LOOSE + "?" + BUILD + "?";
    private static final String GTLT = "((?:<|>)?=?)";
    private static final String XID = NUM + "|x|X|\\*";
    private static final String XRANGE_PLAIN = "[v=\\s]*(" + XID + ")(?:\\.(" + XID + ")(?:\\.(" + XID + ")(?:" + PRERELEASE
            + ")?" + BUILD + "?)?)?";

    private static final Pattern FULL = Pattern.compile("^" + FULL_PLAIN + "$");
    private static final Pattern BUILD_STRIP = Pattern.compile("(?:\\+([a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*))");
    private static final Pattern BUILD_FIRST = Pattern.compile(BUILD);
    private static final Pattern HYPHEN_RANGE = Pattern.compile("^\\s{0,1}(" + XRANGE_PLAIN + ")\\s{1,1}-\\s{1,1}("
            + XRANGE_PLAIN + ")\\s{0,1}$");
    private static final Pattern COMPARATOR_TRIM = Pattern.compile("(\\s{0,1})" + GTLT + "\\s{0,1}(" + LOOSE_PLAIN + "|"
            + XRANGE_PLAIN + ")");
    private static final Pattern TILDE_TRIM = Pattern.compile("(\\s{0,1})(?:~>?)\\s{1,1}");
    private static final Pattern CARET_TRIM = Pattern.compile("(\\s{0,1})(?:\\^)\\s{1,1}");
    private static final Pattern TILDE = Pattern.compile("^(?:~>?)" + XRANGE_PLAIN + "$");
    private static final Pattern CARET = Pattern.compile("^(?:\\^)" + XRANGE_PLAIN + "$");
    private static final Pattern XRANGE = Pattern.compile("^" + GTLT + "\\s{0,1}" + XRANGE_PLAIN + "$");
    private static final Pattern STAR = Pattern.compile("(<|>)?=?\\s{0,1}\\*");
    private static final Pattern GTE0 = Pattern.compile("^\\s{0,1}>=\\s{0,1}0\\.0\\.0\\s{0,1}$");
    private static final Pattern GTE0_PRE = Pattern.compile("^\\s{0,1}>=\\s{0,1}0\\.0\\.0-0\\s{0,1}$");
    private static final Pattern COMPARATOR = Pattern.compile("^" + GTLT + "\\s{0,1}(" + FULL_PLAIN + ")$|^$");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** JavaScript's \s: what npm collapses and trims (constants.js WHITESPACE_CHARACTERS). */
    private static boolean jsSpace(char c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' ' || c == 0xA0 || c == 0x1680
                || c >= 0x2000 && c <= 0x200A || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000 || c == 0xFEFF;
    }

    /** {@code text.trim().replace(/\s+/g, ' ')} in JavaScript's sense of whitespace. */
    private static String collapse(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (jsSpace(c)) {
                space = true;
            } else {
                if (space && !out.isEmpty()) {
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The comparator sets of {@code range} (any one of which must hold), or empty when npm refuses it. */
    static Optional<List<List<Comparator>>> parse(String range, boolean includePrerelease) {
        try {
            List<List<Comparator>> set = new ArrayList<>();
            for (String alternative : collapse(range).split("\\|\\|", -1)) {
                set.add(parseRange(alternative.trim(), includePrerelease));
            }
            return Optional.of(set);
        } catch (Invalid e) {
            return Optional.empty();
        }
    }

    /** npm's testSet: every comparator holds, and a prerelease only where a comparator names its version's tuple. */
    static boolean test(List<Comparator> set, SemVer version, boolean includePrerelease) {
        for (Comparator c : set) {
            if (!c.test(version)) {
                return false;
            }
        }
        if (version.prerelease() && !includePrerelease) {
            for (Comparator c : set) {
                SemVer allowed = c.version();
                if (allowed != null && allowed.prerelease() && allowed.major() == version.major()
                        && allowed.minor() == version.minor() && allowed.patch() == version.patch()) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static List<Comparator> parseRange(String range, boolean includePrerelease) {
        range = BUILD_STRIP.matcher(range).replaceAll("");
        range = replaceWhole(range, HYPHEN_RANGE, m -> hyphen(m, includePrerelease));
        range = COMPARATOR_TRIM.matcher(range).replaceAll("$1$2$3");
        range = TILDE_TRIM.matcher(range).replaceAll("$1~");
        range = CARET_TRIM.matcher(range).replaceAll("$1^");
        List<String> parsed = new ArrayList<>();
        for (String comp : range.split(" ", -1)) {
            parsed.add(parseComparator(comp, includePrerelease));
        }
        Map<String, Comparator> comparators = new LinkedHashMap<>();
        for (String comp : SPACES.split(String.join(" ", parsed), -1)) {
            comp = (includePrerelease ? GTE0_PRE : GTE0).matcher(comp.trim()).replaceFirst("");
            Comparator c = comparator(comp);
            if (c.value().equals("<0.0.0-0")) {
                return List.of(c);
            }
            comparators.put(c.value(), c);
        }
        if (comparators.size() > 1) {
            comparators.remove("");
        }
        return List.copyOf(comparators.values());
    }

    private static String parseComparator(String comp, boolean includePrerelease) {
        comp = BUILD_FIRST.matcher(comp).replaceFirst("");
        comp = each(comp.trim(), c -> replaceWhole(c, CARET, m -> caret(m, includePrerelease)));
        comp = each(comp.trim(), c -> replaceWhole(c, TILDE, m -> tilde(m, includePrerelease)));
        comp = each(comp, c -> xRange(c.trim(), includePrerelease));
        return STAR.matcher(comp.trim()).replaceFirst("");
    }

    /** {@code text.split(/\s+/).map(f).join(' ')}. */
    private static String each(String text, Function<String, String> f) {
        List<String> out = new ArrayList<>();
        for (String part : SPACES.split(text, -1)) {
            out.add(f.apply(part));
        }
        return String.join(" ", out);
    }

    /** {@code text.replace(pattern, f)} for a pattern anchored at both ends: all of it, or nothing. */
    private static String replaceWhole(String text, Pattern pattern, Function<Matcher, String> f) {
        Matcher m = pattern.matcher(text);
        return m.find() ? text.substring(0, m.start()) + f.apply(m) + text.substring(m.end()) : text;
    }

    private static Comparator comparator(String comp) {
        comp = collapse(comp);
        Matcher m = COMPARATOR.matcher(comp);
        if (!m.find()) {
            throw new Invalid();
        }
        String operator = m.group(1) == null || m.group(1).equals("=") ? "" : m.group(1);
        String version = m.group(2);
        if (version == null || version.isEmpty()) {
            return new Comparator(operator, null);
        }
        if (version.length() > SemVer.MAX_LENGTH || !FULL.matcher(version).find()) {
            throw new Invalid();
        }
        return new Comparator(operator, SemVer.parse(version.startsWith("v") ? version.substring(1) : version)
                .orElseThrow(Invalid::new));
    }

    private static boolean isX(String id) {
        return id == null || id.isEmpty() || id.equalsIgnoreCase("x") || id.equals("*");
    }

    /** {@code +n + 1}. */
    private static String plusOne(String n) {
        return new BigInteger(n).add(BigInteger.ONE).toString();
    }

    private static String hyphen(Matcher m, boolean incPr) {
        String from = m.group(1);
        String fM = m.group(2);
        String fm = m.group(3);
        String fp = m.group(4);
        String fpr = m.group(5);
        String to = m.group(7);
        String tM = m.group(8);
        String tm = m.group(9);
        String tp = m.group(10);
        String tpr = m.group(11);
        String z = incPr ? "-0" : "";
        if (isX(fM)) {
            from = "";
        } else if (isX(fm)) {
            from = ">=" + fM + ".0.0" + z;
        } else if (isX(fp)) {
            from = ">=" + fM + "." + fm + ".0" + z;
        } else if (fpr != null && !fpr.isEmpty()) {
            from = ">=" + from;
        } else {
            from = ">=" + from + z;
        }
        if (isX(tM)) {
            to = "";
        } else if (isX(tm)) {
            to = "<" + plusOne(tM) + ".0.0-0";
        } else if (isX(tp)) {
            to = "<" + tM + "." + plusOne(tm) + ".0-0";
        } else if (tpr != null && !tpr.isEmpty()) {
            to = "<=" + tM + "." + tm + "." + tp + "-" + tpr;
        } else if (incPr) {
            to = "<" + tM + "." + tm + "." + plusOne(tp) + "-0";
        } else {
            to = "<=" + to;
        }
        return (from + " " + to).trim();
    }

    private static String tilde(Matcher m, boolean incPr) {
        String major = m.group(1);
        String minor = m.group(2);
        String patch = m.group(3);
        String pr = m.group(4);
        String z = incPr ? "-0" : "";
        if (isX(major)) {
            return "";
        }
        if (isX(minor)) {
            return ">=" + major + ".0.0" + z + " <" + plusOne(major) + ".0.0-0";
        }
        if (isX(patch)) {
            return ">=" + major + "." + minor + ".0" + z + " <" + major + "." + plusOne(minor) + ".0-0";
        }
        if (pr != null && !pr.isEmpty()) {
            return ">=" + major + "." + minor + "." + patch + "-" + pr + " <" + major + "." + plusOne(minor) + ".0-0";
        }
        return ">=" + major + "." + minor + "." + patch + " <" + major + "." + plusOne(minor) + ".0-0";
    }

    private static String caret(Matcher m, boolean incPr) {
        String major = m.group(1);
        String minor = m.group(2);
        String patch = m.group(3);
        String pr = m.group(4);
        String z = incPr ? "-0" : "";
        if (isX(major)) {
            return "";
        }
        if (isX(minor)) {
            return ">=" + major + ".0.0" + z + " <" + plusOne(major) + ".0.0-0";
        }
        if (isX(patch)) {
            return major.equals("0")
                    ? ">=" + major + "." + minor + ".0" + z + " <" + major + "." + plusOne(minor) + ".0-0"
                    : ">=" + major + "." + minor + ".0" + z + " <" + plusOne(major) + ".0.0-0";
        }
        String from = ">=" + major + "." + minor + "." + patch + (pr != null && !pr.isEmpty() ? "-" + pr : z);
        if (major.equals("0")) {
            return minor.equals("0")
                    ? from + " <" + major + "." + minor + "." + plusOne(patch) + "-0"
                    : from + " <" + major + "." + plusOne(minor) + ".0-0";
        }
        // npm: a caret with a prerelease keeps it as the lower bound, without the -0 of includePrerelease
        return (pr != null && !pr.isEmpty() ? from : ">=" + major + "." + minor + "." + patch) + " <" + plusOne(major)
                + ".0.0-0";
    }

    private static String xRange(String comp, boolean includePrerelease) {
        Matcher m = XRANGE.matcher(comp);
        if (!m.find()) {
            return comp;
        }
        String gtlt = m.group(1);
        String major = m.group(2);
        String minor = m.group(3);
        String patch = m.group(4);
        if (isX(major) && !isX(minor) || isX(minor) && patch != null && !patch.isEmpty() && !isX(patch)) {
            return comp; // invalidXRangeOrder: 1.x.2, x.1: left as it is, and refused as a comparator
        }
        boolean xM = isX(major);
        boolean xm = xM || isX(minor);
        boolean xp = xm || isX(patch);
        if (gtlt.equals("=") && xp) {
            gtlt = "";
        }
        String pr = includePrerelease ? "-0" : "";
        if (xM) {
            return gtlt.equals(">") || gtlt.equals("<") ? "<0.0.0-0" : "*";
        }
        if (!gtlt.isEmpty() && xp) {
            if (xm) {
                minor = "0";
            }
            patch = "0";
            if (gtlt.equals(">")) {
                gtlt = ">=";
                if (xm) {
                    major = plusOne(major);
                    minor = "0";
                } else {
                    minor = plusOne(minor);
                }
                patch = "0";
            } else if (gtlt.equals("<=")) {
                gtlt = "<";
                if (xm) {
                    major = plusOne(major);
                } else {
                    minor = plusOne(minor);
                }
            }
            if (gtlt.equals("<")) {
                pr = "-0";
            }
            return gtlt + major + "." + minor + "." + patch + pr;
        }
        if (xm) {
            return ">=" + major + ".0.0" + pr + " <" + plusOne(major) + ".0.0-0";
        }
        if (xp) {
            return ">=" + major + "." + minor + ".0" + pr + " <" + major + "." + plusOne(minor) + ".0-0";
        }
        return comp;
    }
}
