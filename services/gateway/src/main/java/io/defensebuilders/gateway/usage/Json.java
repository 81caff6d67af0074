package io.defensebuilders.gateway.usage;

/** JSON written by hand for what is written once per call (access-log lines, usage events): string literals. */
final class Json {

    private Json() {
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped; null as {@code null}. */
    static StringBuilder quote(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }
}
