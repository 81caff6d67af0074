package io.defensebuilders.environments;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The spec's durations: one or more {@code <number><unit>} parts, units s, m, h, d (e.g. 90m, 1h30m, 7d). */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile(EnvironmentSpec.DURATION_PATTERN);
    private static final Pattern PART = Pattern.compile("([0-9]{1,6})(s|m|h|d)");

    private Durations() {
    }

    /** The duration, or an IllegalArgumentException that says what is wrong. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 90m, 8h, 1h30m or 7d");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is zero; give a positive duration");
        }
        return total;
    }
}
