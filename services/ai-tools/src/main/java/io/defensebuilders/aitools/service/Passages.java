package io.defensebuilders.aitools.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Markdown cut into passages for retrieval: one per section (the text under a heading, up to the next heading), named
 * by its heading path ("gateway > Identity > Open paths"); a long section is cut at paragraph breaks into pieces of at
 * most {@code maxChars}. Fenced code stays with its section and its lines are never read as headings.
 */
public final class Passages {

    /** A passage: its heading path, the GitHub-style anchor of its own heading, and its text. */
    public record Passage(String heading, String anchor, String body) {
    }

    private Passages() {
    }

    public static List<Passage> split(String title, String markdown, int maxChars) {
        List<Passage> out = new ArrayList<>();
        String[] path = new String[7];
        path[0] = title;
        String anchor = null;
        StringBuilder body = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                fenced = !fenced;
            }
            int level = fenced ? 0 : headingLevel(trimmed);
            if (level > 0) {
                flush(out, heading(path), anchor, body, maxChars);
                String text = trimmed.substring(level).strip();
                path[level] = text;
                for (int i = level + 1; i < path.length; i++) {
                    path[i] = null;
                }
                anchor = anchor(text);
                continue;
            }
            body.append(line).append('\n');
        }
        flush(out, heading(path), anchor, body, maxChars);
        return out;
    }

    private static int headingLevel(String line) {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#') {
            level++;
        }
        return level >= 1 && level <= 6 && line.length() > level && line.charAt(level) == ' ' ? level : 0;
    }

    /** The heading path; the document's own title (level 1) stands for the file's name when it has one. */
    private static String heading(String[] path) {
        StringBuilder h = new StringBuilder();
        for (int i = path[1] != null ? 1 : 0; i < path.length; i++) {
            String part = path[i];
            if (part != null && !part.isBlank()) {
                if (!h.isEmpty()) {
                    h.append(" > ");
                }
                h.append(part);
            }
        }
        return h.toString();
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").strip().replace(' ', '-');
    }

    private static void flush(List<Passage> out, String heading, String anchor, StringBuilder body, int maxChars) {
        String text = body.toString().strip();
        body.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        StringBuilder piece = new StringBuilder();
        for (String paragraph : text.split("\n\\s*\n")) {
            if (!piece.isEmpty() && piece.length() + paragraph.length() + 2 > maxChars) {
                out.add(new Passage(heading, anchor, piece.toString()));
                piece.setLength(0);
            }
            String rest = paragraph.strip();
            while (rest.length() > maxChars) {
                out.add(new Passage(heading, anchor, rest.substring(0, maxChars)));
                rest = rest.substring(maxChars);
            }
            if (!piece.isEmpty()) {
                piece.append("\n\n");
            }
            piece.append(rest);
        }
        if (!piece.isEmpty()) {
            out.add(new Passage(heading, anchor, piece.toString()));
        }
    }
}
