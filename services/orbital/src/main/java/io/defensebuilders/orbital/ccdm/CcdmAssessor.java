package io.defensebuilders.orbital.ccdm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.ObjectType;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Classification;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Regime;
import io.defensebuilders.orbital.repository.ManeuverRepository;

/**
 * CCDM (camouflage, concealment, deception, maneuvering) assessment of one object from what the catalog holds: its
 * element-set history, the maneuvers found in it, and the objects it stays close to. Each indicator carries its
 * evidence and a confidence; the assessment combines them as independent signals, 1 − Π(1 − cᵢ), and maps that to a
 * threat level. Pure: the service loads the inputs.
 */
public final class CcdmAssessor {

    /** What an indicator points to. */
    public enum IndicatorType {
        UNEXPECTED_MANEUVER("MANEUVERING"),
        PROXIMITY_OPERATION("MANEUVERING"),
        ORBITAL_PARAMETER_INCONSISTENCY("DECEPTION"),
        PATTERN_OF_LIFE_VIOLATION("MANEUVERING"),
        CUSTODY_GAP("CONCEALMENT");

        /** The CCDM category: MANEUVERING, DECEPTION or CONCEALMENT (camouflage needs signature data). */
        public final String ccdmType;

        IndicatorType(String ccdmType) {
            this.ccdmType = ccdmType;
        }
    }

    public enum ThreatLevel {
        NONE,
        LOW,
        MEDIUM,
        HIGH,
        CRITICAL
    }

    /** One indicator: what it is, how sure, a sentence, and the evidence behind it (JSON-ready values). */
    public record Indicator(IndicatorType type, double confidence, String summary, Map<String, Object> evidence) {
    }

    /** Another object that stayed near this one over the proximity window. */
    public record Proximity(int noradId, String name, double minKm, double meanKm, double fractionWithin,
            Instant closestAt) {
    }

    /** An element set with the sub-satellite longitude at its epoch (degrees east), used for geosynchronous objects. */
    public record Sample(ElementSet elements, double longitudeDeg) {
    }

    /**
     * @param recentManeuverDays maneuvers this recent (days before the newest epoch) count as indicators
     * @param proximityKm distance within which another object counts as near
     * @param proximityMinFraction share of the window an object must stay near to be a proximity operation
     * @param bstarJumpFactor consecutive B* values differing by more than this factor are inconsistent
     * @param bstarFloor B* magnitudes below this (1/earth radii) are noise, never a jump
     * @param patternMinHistory element sets needed before the newest to establish a pattern of life
     * @param patternSigmas half-width of the station-keeping box, in robust standard deviations (1.4826 MAD)
     * @param gapFactor a silence this many times the object's median update interval is a custody gap
     * @param gapMinDays shorter silences never are
     */
    public record Settings(double recentManeuverDays, double proximityKm, double proximityMinFraction,
            double bstarJumpFactor, double bstarFloor, int patternMinHistory, double patternSigmas, double gapFactor,
            double gapMinDays) {
    }

    /** The assessment. */
    public record Assessment(int noradId, String objectName, ObjectType objectType, Instant epoch, String ccdmType,
            ThreatLevel threatLevel, double confidence, List<Indicator> indicators, int elementSetsConsidered,
            int maneuversConsidered, int objectsNear) {
    }

    private static final double MU_KM = 398600.8; // WGS-72, as SGP4

    private final Settings settings;

    public CcdmAssessor(Settings settings) {
        this.settings = settings;
    }

    /**
     * Assesses an object. {@code history} is in epoch order, the newest (current) last; {@code maneuvers} are the
     * object's maneuvers over the same span, any order.
     */
    public Assessment assess(int noradId, String name, ObjectType type, List<Sample> history,
            List<ManeuverRepository.Stored> maneuvers, List<Proximity> near) {
        List<Indicator> indicators = new ArrayList<>();
        Instant newest = history.isEmpty() ? null : history.getLast().elements().epoch();
        if (newest != null) {
            unexpectedManeuver(type, maneuvers, newest).ifPresent(indicators::add);
            parameterInconsistency(history).ifPresent(indicators::add);
            patternOfLife(history).ifPresent(indicators::add);
            custodyGap(history, maneuvers).ifPresent(indicators::add);
        }
        proximity(near).ifPresent(indicators::add);
        indicators.sort(Comparator.comparingDouble(Indicator::confidence).reversed());

        double clear = 1;
        for (Indicator i : indicators) {
            clear *= 1 - i.confidence();
        }
        double confidence = indicators.isEmpty() ? 0 : 1 - clear;
        ThreatLevel level = confidence < 0.2 ? ThreatLevel.NONE
                : confidence < 0.5 ? ThreatLevel.LOW
                        : confidence < 0.75 ? ThreatLevel.MEDIUM : confidence < 0.9 ? ThreatLevel.HIGH : ThreatLevel.CRITICAL;
        boolean approach = indicators.stream().anyMatch(i -> i.type() == IndicatorType.PROXIMITY_OPERATION)
                && indicators.stream().anyMatch(i -> i.type() == IndicatorType.UNEXPECTED_MANEUVER);
        if (approach && level.compareTo(ThreatLevel.HIGH) < 0) {
            level = ThreatLevel.HIGH; // maneuvering into a sustained close approach: a rendezvous in progress
        }
        if (!indicators.isEmpty() && level == ThreatLevel.NONE) {
            level = ThreatLevel.LOW;
        }
        String ccdmType = indicators.isEmpty() ? "NONE" : indicators.getFirst().type().ccdmType;
        return new Assessment(noradId, name, type, newest, ccdmType, level, confidence, List.copyOf(indicators),
                history.size(), maneuvers.size(), near.size());
    }

    /**
     * Maneuvers other than station-keeping in the recent days; any maneuver at all by debris or a rocket body, which
     * cannot maneuver.
     */
    private java.util.Optional<Indicator> unexpectedManeuver(ObjectType type, List<ManeuverRepository.Stored> maneuvers,
            Instant newest) {
        Instant since = newest.minusSeconds((long) (settings.recentManeuverDays() * 86400));
        boolean inert = type == ObjectType.DEBRIS || type == ObjectType.ROCKET_BODY;
        List<ManeuverRepository.Stored> unexpected = maneuvers.stream()
                .filter(m -> !m.epoch().isBefore(since))
                .filter(m -> inert || m.maneuver().classification() != Classification.STATION_KEEPING)
                .sorted(Comparator.comparing(ManeuverRepository.Stored::epoch).reversed())
                .toList();
        if (unexpected.isEmpty()) {
            return java.util.Optional.empty();
        }
        double best = unexpected.stream().mapToDouble(m -> m.maneuver().confidence()).max().orElse(0);
        // a payload may maneuver for its mission: weigh it lower than an object that should not maneuver at all
        double confidence = Math.min(0.99, best * (inert ? 1.0 : 0.7) + 0.05 * (unexpected.size() - 1));
        double totalDv = unexpected.stream().mapToDouble(m -> m.maneuver().deltaVMs()).sum();
        List<Map<String, Object>> list = unexpected.stream().limit(10).map(m -> evidence(
                "maneuverId", m.id().toString(), "epoch", m.epoch().toString(), "windowStart",
                m.windowStart().toString(), "maneuverType", m.maneuver().classification().name(), "deltaV",
                round(m.maneuver().deltaVMs(), 4), "confidence", round(m.maneuver().confidence(), 3))).toList();
        String summary = unexpected.size() + (unexpected.size() == 1 ? " maneuver" : " maneuvers") + " in the last "
                + fmt(settings.recentManeuverDays()) + " days, " + fmt(round(totalDv, 2)) + " m/s in all"
                + (inert ? ", by an object catalogued as " + type + " that should not maneuver" : "");
        return java.util.Optional.of(new Indicator(IndicatorType.UNEXPECTED_MANEUVER, confidence, summary,
                evidence("maneuvers", list, "count", unexpected.size(), "totalDeltaV", round(totalDv, 4),
                        "objectType", type.name())));
    }

    /** Objects that stayed within the proximity distance for a sustained share of the window. */
    private java.util.Optional<Indicator> proximity(List<Proximity> near) {
        List<Proximity> sustained = near.stream().filter(p -> p.fractionWithin() >= settings.proximityMinFraction())
                .sorted(Comparator.comparingDouble(Proximity::fractionWithin).reversed()).toList();
        if (sustained.isEmpty()) {
            return java.util.Optional.empty();
        }
        Proximity top = sustained.getFirst();
        double confidence = Math.min(0.99, 0.5 + 0.5 * top.fractionWithin());
        List<Map<String, Object>> list = sustained.stream().limit(10).map(p -> evidence("noradId", p.noradId(),
                "objectName", p.name(), "minDistanceKm", round(p.minKm(), 3), "meanDistanceKm", round(p.meanKm(), 3),
                "fractionWithin", round(p.fractionWithin(), 4), "closestApproach", p.closestAt().toString())).toList();
        String summary = "stays within " + fmt(settings.proximityKm()) + " km of " + (top.name() == null
                ? "NORAD " + top.noradId()
                : top.name() + " (NORAD " + top.noradId() + ")") + " for "
                + Math.round(top.fractionWithin() * 100) + "% of the window (closest " + fmt(round(top.minKm(), 2))
                + " km)" + (sustained.size() > 1 ? ", and near " + (sustained.size() - 1) + " more" : "");
        return java.util.Optional.of(new Indicator(IndicatorType.PROXIMITY_OPERATION, confidence, summary,
                evidence("objects", list, "proximityKm", settings.proximityKm())));
    }

    /**
     * Consecutive element sets whose drag term B* jumps by more than the factor, or flips sign, while both are above
     * the noise floor: the area-to-mass ratio (or unmodelled thrust) changed.
     */
    private java.util.Optional<Indicator> parameterInconsistency(List<Sample> history) {
        List<Map<String, Object>> jumps = new ArrayList<>();
        double worst = 1;
        for (int i = 1; i < history.size(); i++) {
            ElementSet a = history.get(i - 1).elements();
            ElementSet b = history.get(i).elements();
            double x = a.bstar();
            double y = b.bstar();
            if (Math.abs(x) < settings.bstarFloor() || Math.abs(y) < settings.bstarFloor()) {
                continue;
            }
            double ratio = Math.max(Math.abs(x), Math.abs(y)) / Math.min(Math.abs(x), Math.abs(y));
            boolean flip = Math.signum(x) != Math.signum(y);
            if (ratio > settings.bstarJumpFactor() || flip) {
                worst = Math.max(worst, flip ? Math.max(ratio, settings.bstarJumpFactor() * 2) : ratio);
                jumps.add(evidence("from", a.epoch().toString(), "to", b.epoch().toString(), "bstarBefore", x,
                        "bstarAfter", y, "ratio", round(ratio, 3), "signFlip", flip));
            }
        }
        if (jumps.isEmpty()) {
            return java.util.Optional.empty();
        }
        double confidence = Math.min(0.95, 0.3 + 0.1 * jumps.size() + 0.15 * Math.log10(worst));
        String summary = jumps.size() + " drag-term (B*) " + (jumps.size() == 1 ? "jump" : "jumps") + " beyond "
                + fmt(settings.bstarJumpFactor()) + "x between consecutive element sets: its area-to-mass ratio or "
                + "unmodelled thrust changed";
        return java.util.Optional.of(new Indicator(IndicatorType.ORBITAL_PARAMETER_INCONSISTENCY, confidence, summary,
                evidence("jumps", jumps.subList(Math.max(0, jumps.size() - 10), jumps.size()), "count", jumps.size(),
                        "factor", settings.bstarJumpFactor())));
    }

    /**
     * The newest element set outside the box the earlier ones kept: median ± k robust standard deviations (with a
     * floor per element) of longitude and inclination for a geosynchronous object, of semi-major axis, inclination
     * and eccentricity for others.
     */
    /**
     * CUSTODY_GAP: the object went unobserved (no element set) for far longer than its usual update interval and
     * came back within the recent window: concealment, or an object that was hard to track. A maneuver inside the
     * silence (hidden from the sensors) is named in the evidence.
     */
    private java.util.Optional<Indicator> custodyGap(List<Sample> history, List<ManeuverRepository.Stored> maneuvers) {
        if (history.size() - 1 < settings.patternMinHistory()) {
            return java.util.Optional.empty();
        }
        double[] intervals = new double[history.size() - 1];
        for (int i = 1; i < history.size(); i++) {
            intervals[i - 1] = java.time.Duration.between(history.get(i - 1).elements().epoch(),
                    history.get(i).elements().epoch()).toMillis() / 86_400_000.0;
        }
        double cadence = median(intervals);
        Instant newest = history.getLast().elements().epoch();
        Instant recent = newest.minusSeconds(Math.round(settings.recentManeuverDays() * 86400));
        int worst = -1;
        for (int i = 0; i < intervals.length; i++) {
            boolean endsRecently = !history.get(i + 1).elements().epoch().isBefore(recent);
            if (endsRecently && (worst < 0 || intervals[i] > intervals[worst])) {
                worst = i;
            }
        }
        if (worst < 0) {
            return java.util.Optional.empty();
        }
        double gap = intervals[worst];
        double ratio = cadence > 0 ? gap / cadence : Double.POSITIVE_INFINITY;
        if (gap < settings.gapMinDays() || ratio < settings.gapFactor()) {
            return java.util.Optional.empty();
        }
        Instant from = history.get(worst).elements().epoch();
        Instant to = history.get(worst + 1).elements().epoch();
        boolean maneuverInside = maneuvers.stream()
                .anyMatch(m -> !m.windowStart().isBefore(from) && !m.epoch().isAfter(to));
        double confidence = Math.min(0.9, 1 - settings.gapFactor() / ratio);
        return java.util.Optional.of(new Indicator(IndicatorType.CUSTODY_GAP, round(confidence, 3),
                String.format(java.util.Locale.ROOT, "unobserved for %.1f days (usually updated every %.2f days)%s",
                        gap, cadence, maneuverInside ? ", and it maneuvered meanwhile" : ""),
                evidence("gapStart", from.toString(), "gapEnd", to.toString(), "gapDays", round(gap, 3),
                        "medianIntervalDays", round(cadence, 4), "ratio", round(Math.min(ratio, 1e6), 2),
                        "maneuverInGap", maneuverInside)));
    }

    private java.util.Optional<Indicator> patternOfLife(List<Sample> history) {
        if (history.size() - 1 < settings.patternMinHistory()) {
            return java.util.Optional.empty();
        }
        List<Sample> before = history.subList(0, history.size() - 1);
        Sample now = history.getLast();
        ElementSet e = now.elements();
        Regime regime = Regime.of(e.meanMotion(), e.eccentricity());
        Map<String, Element> elements = new LinkedHashMap<>();
        if (regime == Regime.GEO) {
            elements.put("longitudeDeg", new Element(Sample::longitudeDeg, 0.05, true));
            elements.put("inclinationDeg", new Element(s -> s.elements().inclination(), 0.02, false));
        } else {
            elements.put("semiMajorAxisKm", new Element(s -> semiMajorAxisKm(s.elements().meanMotion()),
                    regime == Regime.LEO ? 1.0 : 2.0, false));
            elements.put("inclinationDeg", new Element(s -> s.elements().inclination(), 0.02, false));
            elements.put("eccentricity", new Element(s -> s.elements().eccentricity(), 2e-4, false));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        double worst = 0;
        for (var entry : elements.entrySet()) {
            Element el = entry.getValue();
            double[] values = before.stream().mapToDouble(el.value()).toArray();
            double current = el.value().applyAsDouble(now);
            double first = median(values);
            if (el.angle()) { // longitudes wrap: measure from the median
                for (int i = 0; i < values.length; i++) {
                    values[i] = first + wrap(values[i] - first);
                }
                current = first + wrap(current - first);
            }
            double median = el.angle() ? median(values) : first;
            double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).toArray();
            double half = Math.max(settings.patternSigmas() * 1.4826 * median(deviations), el.floor());
            double z = Math.abs(current - median) / half;
            if (z > 1) {
                worst = Math.max(worst, z);
                out.add(evidence("element", entry.getKey(), "current", round(current, 6), "median", round(median, 6),
                        "low", round(median - half, 6), "high", round(median + half, 6), "deviations", round(z, 3)));
            }
        }
        if (out.isEmpty()) {
            return java.util.Optional.empty();
        }
        double confidence = Math.min(0.95, 1 - 1 / (1 + worst));
        String summary = "left its usual " + (regime == Regime.GEO ? "station-keeping box" : "orbit") + " ("
                + String.join(", ", out.stream().map(m -> (String) m.get("element")).toList()) + ") set by "
                + before.size() + " earlier element sets";
        return java.util.Optional.of(new Indicator(IndicatorType.PATTERN_OF_LIFE_VIOLATION, confidence, summary,
                evidence("elements", out, "regime", regime.name(), "history", before.size(), "since",
                        before.getFirst().elements().epoch().toString())));
    }

    private record Element(ToDoubleFunction<Sample> value, double floor, boolean angle) {
    }

    /** Mean semi-major axis (km) from the mean motion (rev/day), as SGP4's constants give it. */
    public static double semiMajorAxisKm(double meanMotionRevPerDay) {
        double n = meanMotionRevPerDay * 2 * Math.PI / 86400;
        return Math.cbrt(MU_KM / (n * n));
    }

    private static double wrap(double deg) {
        double d = ((deg + 180) % 360 + 360) % 360 - 180;
        return d;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static Map<String, Object> evidence(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
