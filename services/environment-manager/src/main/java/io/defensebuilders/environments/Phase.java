package io.defensebuilders.environments;

/** An environment's phase, as {@code status.phase} spells it. */
public enum Phase {
    Pending,
    Provisioning,
    Ready,
    Sleeping,
    Deleting,
    Failed;

    /** The phase named {@code text}; null for null or a name that is none of these. */
    public static Phase of(String text) {
        if (text == null) {
            return null;
        }
        for (Phase p : values()) {
            if (p.name().equals(text)) {
                return p;
            }
        }
        return null;
    }
}
