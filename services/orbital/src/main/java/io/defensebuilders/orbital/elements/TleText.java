package io.defensebuilders.orbital.elements;

import java.util.ArrayList;
import java.util.List;

import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;

/**
 * Reads TLE and 3LE text: pairs of lines 1 and 2, each optionally preceded by a name line (with or without the
 * {@code 0 } prefix space-track writes). Blank lines are skipped; trailing blanks are ignored. Errors name the line
 * of the input they are on (1-based).
 */
final class TleText {

    /** Longest name line accepted (space-track's are at most 24 characters). */
    static final int MAX_NAME = 80;

    private TleText() {
    }

    /** The element sets of {@code text}; one with an epoch after {@code latestEpoch} (unless null) is an error. */
    static List<ElementSet> read(String text, java.time.Instant latestEpoch, ElementErrors errors) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<ElementSet> sets = new ArrayList<>();
        int i = next(lines, 0);
        while (i < lines.length) {
            String line = stripTrailing(lines[i]);
            String name = null;
            int nameLine = -1;
            if (!line.startsWith("1 ") && !line.startsWith("2 ")) {
                name = (line.startsWith("0 ") ? line.substring(2) : line).strip();
                nameLine = i;
                if (name.length() > MAX_NAME) {
                    errors.add(where(i) + ": name", "a name line has at most " + MAX_NAME + " characters");
                }
                i = next(lines, i + 1);
                if (i >= lines.length || !stripTrailing(lines[i]).startsWith("1 ")) {
                    errors.add(where(nameLine) + ": name", "the name line '" + abbreviate(name)
                            + "' is not followed by a TLE line 1");
                    continue;
                }
                line = stripTrailing(lines[i]);
            }
            if (line.startsWith("2 ")) {
                errors.add(where(i) + ": lineNumber", "a TLE line 2 without a line 1 before it");
                i = next(lines, i + 1);
                continue;
            }
            int first = i;
            int second = next(lines, i + 1);
            if (second >= lines.length || !stripTrailing(lines[second]).startsWith("2 ")) {
                errors.add(where(first) + ": lineNumber", "a TLE line 1 not followed by its line 2");
                i = second;
                continue;
            }
            ElementSet set = TleLines.parse(line, stripTrailing(lines[second]), where(first), where(second), errors);
            if (set != null && latestEpoch != null && set.epoch().isAfter(latestEpoch)) {
                errors.add(where(first) + ": epoch", futureEpoch(set.epoch(), latestEpoch));
            } else if (set != null) {
                sets.add(set.describedAs(name == null || name.isEmpty() ? null : name, null, null, ElementFormat.TLE));
            }
            i = next(lines, second + 1);
        }
        return sets;
    }

    /** The message for an epoch too far in the future. */
    static String futureEpoch(java.time.Instant epoch, java.time.Instant latest) {
        return "epoch " + epoch + " is after " + latest + ": element sets may be at most"
                + " dbp.orbital.ingest.max-future-epoch ahead of now";
    }

    private static String where(int index) {
        return "line " + (index + 1);
    }

    private static int next(String[] lines, int from) {
        int i = from;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        return i;
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "…";
    }
}
