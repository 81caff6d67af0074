package io.defensebuilders.environments.grpc;

/** The registry could not resolve an environment's SDKs; {@link #permanent()} says whether retrying can help. */
public class ResolutionException extends RuntimeException {

    private final boolean permanent;

    public ResolutionException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    /** True for an unknown SDK, an impossible range or a version without image: only a spec change helps. */
    public boolean permanent() {
        return permanent;
    }
}
