package io.defensebuilders.orbital.elements;

/**
 * Characters PostgreSQL cannot store in text (NUL) or that are not characters at all (an unpaired UTF-16 surrogate,
 * which would be stored as '?'): refused in anything read from element-set input, naming where they are.
 */
public final class Characters {

    private Characters() {
    }

    /** What is wrong with {@code text}'s characters, or null when nothing is. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "holds a NUL character (U+0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "holds an unpaired UTF-16 surrogate, which is not a character";
            }
            if (Character.isLowSurrogate(c)) {
                return "holds an unpaired UTF-16 surrogate, which is not a character";
            }
        }
        return null;
    }

    /** Adds an error for each line of {@code text} whose characters cannot be stored; true when there was none. */
    static boolean checkLines(String text, ElementErrors errors) {
        if (problem(text) == null) {
            return true;
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String p = problem(lines[i]);
            if (p != null) {
                errors.add("line " + (i + 1) + ": text", p);
            }
        }
        return false;
    }
}
