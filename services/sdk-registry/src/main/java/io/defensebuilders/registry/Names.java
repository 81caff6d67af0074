package io.defensebuilders.registry;

import java.util.regex.Pattern;

/** The naming rules of the registry, in one place (the database enforces the same ones). */
public final class Names {

    /** SDK and publisher names: lowercase letters, digits and inner dashes, at most 64 characters. */
    public static final String NAME_REGEX = "[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?";
    /** Dist-tags: a lowercase word that can never be mistaken for a version or range. */
    public static final String TAG_REGEX = "[a-z][a-z0-9-]{0,31}";
    /** Free-form keywords on an SDK. */
    public static final String KEYWORD_REGEX = "[a-z0-9][a-z0-9+#.-]{0,31}";
    public static final String NAME_RULE = "lowercase letters, digits and dashes, at most 64 characters, "
            + "starting and ending with a letter or digit";

    private static final Pattern NAME = Pattern.compile(NAME_REGEX);
    private static final Pattern TAG = Pattern.compile(TAG_REGEX);

    private Names() {
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean validTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }
}
