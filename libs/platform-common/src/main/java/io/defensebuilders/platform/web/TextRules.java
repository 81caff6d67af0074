package io.defensebuilders.platform.web;

/**
 * What no text the platform accepts may hold, wherever it comes from (JSON bodies, paths, query strings): the NUL
 * character, which PostgreSQL cannot store in text, and unpaired UTF-16 surrogates, which no encoding can write and
 * which would be stored as '?'. Refusing them at the door keeps a 500 or a silently changed value out of every
 * service.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Why {@code text} cannot be accepted, or null when it can. */
    public static String problem(CharSequence text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired UTF-16 surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    /** Whether {@code text} holds a control character (C0, DEL or C1), tabs and line breaks included. */
    public static boolean hasControl(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
