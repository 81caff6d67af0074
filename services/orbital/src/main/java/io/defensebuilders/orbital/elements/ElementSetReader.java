package io.defensebuilders.orbital.elements;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.orbital.ElementFormat;
import io.defensebuilders.orbital.ElementSet;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.platform.web.TextRules;

/**
 * Reads element sets in any supported format, all or nothing: either every element set in the text is valid and
 * they are returned, or a 400 problem lists what is wrong with each, by line (or JSON index) and field.
 */
@ApplicationScoped
public class ElementSetReader {

    private final OrekitData orekit;

    public ElementSetReader(OrekitData orekit) {
        this.orekit = orekit;
    }

    /** The element sets in {@code text}; throws the {@value ElementErrors#SLUG} problem when any is invalid. */
    public List<ElementSet> read(ElementFormat format, String text) {
        return read(format, text, null);
    }

    /**
     * The element sets in {@code text}, each with an epoch no later than {@code latestEpoch} (null: any); throws the
     * {@value ElementErrors#SLUG} problem when any is invalid.
     */
    public List<ElementSet> read(ElementFormat format, String text, java.time.Instant latestEpoch) {
        ElementErrors errors = new ElementErrors();
        List<ElementSet> sets = new ArrayList<>();
        if (text == null || text.isBlank()) {
            errors.add("body", "is empty; it must hold element sets");
        } else if (format != ElementFormat.OMM_JSON && !Characters.checkLines(text, errors)) {
            // JSON escapes are decoded first; its values are checked one by one (OmmConverter)
            errors.throwIfAny();
        } else if (format == ElementFormat.TLE) {
            sets.addAll(TleText.read(text, latestEpoch, errors));
        } else {
            List<OmmRecord> records = switch (format) {
                case OMM_KVN -> OmmKvn.read(text, errors);
                case OMM_XML -> OmmXml.read(text, errors);
                default -> OmmJson.read(text, errors);
            };
            for (OmmRecord record : records) {
                ElementSet set = OmmConverter.convert(record, format, orekit.utc(), latestEpoch, errors);
                if (set != null) {
                    sets.add(set);
                }
            }
        }
        if (sets.isEmpty() && errors.isEmpty()) {
            errors.add("body", "holds no element sets");
        }
        errors.throwIfAny();
        return sets;
    }

    /** Validates one TLE given as two request fields ({@code where} is their JSON path, e.g. {@code tle}). */
    public ElementSet tle(String line1, String line2, String where) {
        ElementErrors errors = new ElementErrors();
        String p1 = TextRules.problem(line1);
        String p2 = TextRules.problem(line2);
        if (p1 != null || p2 != null) {
            if (p1 != null) {
                errors.add(where + ".line1", p1);
            }
            if (p2 != null) {
                errors.add(where + ".line2", p2);
            }
            errors.throwIfAny();
        }
        ElementSet set = TleLines.parse(line1 == null ? "" : line1.stripTrailing(),
                line2 == null ? "" : line2.stripTrailing(), where + ".line1", where + ".line2", errors);
        errors.throwIfAny();
        return set;
    }

    /**
     * The format of an upload: the {@code format} parameter when given, else the content type (text/plain holding
     * {@code CCSDS_OMM_VERS} is OMM KVN, any other text/plain TLE or 3LE). Null when neither says.
     */
    public static ElementFormat detect(String formatParameter, String mediaType, String text) {
        if (formatParameter != null && !formatParameter.isBlank()) {
            return ElementFormat.fromWire(formatParameter).orElse(null);
        }
        if (mediaType == null) {
            return null;
        }
        String type = mediaType.toLowerCase(java.util.Locale.ROOT);
        if (type.contains("xml")) {
            return ElementFormat.OMM_XML;
        }
        if (type.contains("json")) {
            return ElementFormat.OMM_JSON;
        }
        if (type.startsWith("text/plain")) {
            return text != null && text.contains(OmmKvn.VERSION) ? ElementFormat.OMM_KVN : ElementFormat.TLE;
        }
        return null;
    }
}
