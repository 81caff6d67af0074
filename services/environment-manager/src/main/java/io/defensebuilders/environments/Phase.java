package io.defensebuilders.environments;

/** An environment's phase, as {@code status.phase} spells it. */
public enum Phase {
    Pending,
    Provisioning,
    Ready,
    Sleeping,
    Deleting,
    Failed
}
