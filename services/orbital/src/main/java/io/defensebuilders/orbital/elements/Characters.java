package io.defensebuilders.orbital.elements;

import io.defensebuilders.platform.web.TextRules;

/**
 * Characters PostgreSQL cannot store in text (NUL) or that are not characters at all (an unpaired UTF-16 surrogate,
 * which would be stored as '?'), by {@link TextRules}: refused in element-set text, naming the line they are on.
 */
public final class Characters {

    private Characters() {
    }

    /** Adds an error for each line of {@code text} whose characters cannot be stored; true when there was none. */
    static boolean checkLines(String text, ElementErrors errors) {
        if (TextRules.problem(text) == null) {
            return true;
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String p = TextRules.problem(lines[i]);
            if (p != null) {
                errors.add("line " + (i + 1) + ": text", p);
            }
        }
        return false;
    }
}
