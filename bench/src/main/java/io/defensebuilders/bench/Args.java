package io.defensebuilders.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bench's {@code --name value} arguments. */
final class Args {

    private Args() {
    }

    /** The arguments by name (without the leading dashes), in the order given; a trailing name without value is dropped. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
