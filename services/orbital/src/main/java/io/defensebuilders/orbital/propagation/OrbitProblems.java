package io.defensebuilders.orbital.propagation;

import io.defensebuilders.platform.problem.ProblemException;

/** The problems of orbits SGP4 cannot give states for: 422, with the time of the first state that failed. */
public final class OrbitProblems {

    public static final String DECAYED = "orbit-decayed";
    public static final String INVALID = "invalid-orbit";

    private OrbitProblems() {
    }

    /** The satellite is below the Earth's surface at this time (the reference implementation's error 6). */
    public static ProblemException decayed(double minutesSinceEpoch) {
        return new ProblemException(422, DECAYED, "The orbit has decayed",
                "the object is below the Earth's surface " + minutesSinceEpoch + " minutes from its epoch: the element "
                        + "set describes a decayed orbit, so SGP4 gives no state there",
                null)
                .with("minutesSinceEpoch", minutesSinceEpoch);
    }

    /** SGP4 has no valid solution at this time (eccentricity out of range, sub-orbital elements, non-finite values). */
    public static ProblemException invalid(double minutesSinceEpoch, String reason) {
        return new ProblemException(422, INVALID, "SGP4 cannot propagate this orbit",
                "no valid SGP4 state " + minutesSinceEpoch + " minutes from the epoch: " + reason, null)
                .with("minutesSinceEpoch", minutesSinceEpoch);
    }
}
