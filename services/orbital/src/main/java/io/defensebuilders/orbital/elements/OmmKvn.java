package io.defensebuilders.orbital.elements;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OMMs in CCSDS keyword = value notation (KVN). Each {@code CCSDS_OMM_VERS} line starts a new OMM, so a file
 * of concatenated OMMs (as CelesTrak serves them) reads as many. Units in brackets and COMMENT lines are ignored.
 */
final class OmmKvn {

    private static final Pattern KVN = Pattern.compile("([A-Z0-9_]+)\\s*=\\s*(.*?)\\s*(?:\\[[^\\]]*\\])?\\s*");
    private static final Set<String> MARKERS = Set.of("META_START", "META_STOP", "DATA_START", "DATA_STOP");
    static final String VERSION = "CCSDS_OMM_VERS";
    static final String USER_DEFINED = "USER_DEFINED_";

    private OmmKvn() {
    }

    static List<OmmRecord> read(String text, ElementErrors errors) {
        List<OmmRecord> records = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        OmmRecord current = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = "line " + (i + 1);
            if (line.isEmpty() || line.startsWith("COMMENT") || MARKERS.contains(line)) {
                continue;
            }
            Matcher m = KVN.matcher(line);
            if (!m.matches()) {
                errors.add(where + ": format", "not a KEYWORD = value line");
                continue;
            }
            String keyword = m.group(1);
            if (keyword.equals(VERSION)) {
                current = new OmmRecord(where, false);
                records.add(current);
            } else if (current == null) {
                errors.add(where + ": " + VERSION, "an OMM starts with " + VERSION + "; " + keyword + " comes before it");
                current = new OmmRecord(where, false);
                records.add(current);
            }
            if (keyword.startsWith(USER_DEFINED) && keyword.length() > USER_DEFINED.length()) {
                keyword = keyword.substring(USER_DEFINED.length());
            }
            if (!current.put(keyword, m.group(2), where)) {
                errors.add(where + ": " + keyword, "appears twice in the OMM that starts at " + current.where());
            }
        }
        return records;
    }
}
