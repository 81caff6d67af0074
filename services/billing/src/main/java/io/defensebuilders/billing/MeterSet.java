package io.defensebuilders.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The live meters one batch is metered with, indexed by the event meter they match, and what an event contributes
 * to each of them. An event that one of its meters cannot read (a missing or non-numeric value, a value too long to
 * store) is rejected as a whole, so it is either metered by all its meters or by none and can be replayed from the
 * dead-letter topic once fixed.
 */
public final class MeterSet {

    private final Map<String, List<Meter>> byEventMeter = new HashMap<>();

    public MeterSet(List<Meter> meters) {
        for (Meter m : meters) {
            byEventMeter.computeIfAbsent(m.eventMeter(), k -> new ArrayList<>()).add(m);
        }
    }

    /** What one event adds to one meter: its group, and its value as the meter's aggregation needs it. */
    public record Contribution(Meter meter, String groupValues, BigDecimal number, String distinct) {
    }

    /** An event a meter cannot read; the message is the dead-letter reason. */
    public static final class Rejection extends Exception {
        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The contributions of {@code event} to every meter it matches; empty when no meter matches. */
    public List<Contribution> contributions(UsageEvent event) throws Rejection {
        List<Meter> meters = byEventMeter.get(event.usage().meter());
        if (meters == null) {
            return List.of();
        }
        List<Contribution> out = new ArrayList<>(meters.size());
        for (Meter meter : meters) {
            out.add(contribution(meter, event));
        }
        return out;
    }

    private static Contribution contribution(Meter meter, UsageEvent event) throws Rejection {
        String group = groupValues(meter, event);
        BigDecimal number = null;
        String distinct = null;
        switch (meter.aggregation()) {
            case COUNT -> {
            }
            case UNIQUE_COUNT -> {
                distinct = meter.valueProperty().text(event.usage());
                if (distinct == null) {
                    throw new Rejection("meter '" + meter.key() + "' needs " + meter.valueProperty().name());
                }
                String why = UsageEvent.storable(distinct, UsageEvent.MAX_KEY_BYTES);
                if (why != null) {
                    throw new Rejection("meter '" + meter.key() + "': " + meter.valueProperty().name() + " " + why);
                }
            }
            case SUM, MAX, LATEST -> {
                try {
                    number = meter.valueProperty().decimal(event.usage());
                } catch (NumberFormatException e) {
                    throw new Rejection("meter '" + meter.key() + "' needs a decimal number in "
                            + meter.valueProperty().name());
                }
                if (number == null) {
                    throw new Rejection("meter '" + meter.key() + "' needs " + meter.valueProperty().name());
                }
                String why = UsageEvent.inRange(number);
                if (why != null) {
                    throw new Rejection("meter '" + meter.key() + "': " + meter.valueProperty().name() + " " + why);
                }
            }
        }
        return new Contribution(meter, group, number, distinct);
    }

    /**
     * The event's group-by values as canonical JSON (keys sorted, absent attributes left out), the form the
     * aggregates are keyed by.
     */
    static String groupValues(Meter meter, UsageEvent event) throws Rejection {
        if (meter.groupBy().isEmpty()) {
            return "{}";
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : meter.groupBy()) {
            String value = event.usage().attributes().get(key);
            if (value != null) {
                // jsonb refuses an escaped NUL as well as a raw one
                if (value.indexOf('\0') >= 0) {
                    throw new Rejection("meter '" + meter.key() + "': attributes." + key + " contains a NUL character");
                }
                values.put(key, value);
            }
        }
        StringBuilder json = new StringBuilder(64).append('{');
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        values.forEach((k, v) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(encoder.quoteAsString(k)).append("\":\"").append(encoder.quoteAsString(v)).append('"');
        });
        String out = json.append('}').toString();
        String why = UsageEvent.storable(out, UsageEvent.MAX_KEY_BYTES);
        if (why != null) {
            throw new Rejection("meter '" + meter.key() + "': the group-by attributes " + why);
        }
        return out;
    }
}
