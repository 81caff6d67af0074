package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code orbital.maneuvers.v1} (CloudEvent type {@value #MANEUVER_DETECTED}): comparing two consecutive
 * element sets of an object showed a maneuver between their epochs. Written to the outbox in the transaction that
 * stores the later (or, for a late arrival, the earlier) element set; the event id is the maneuver's id, which is
 * the same for the same pair of element sets.
 *
 * @param tenant tenant that ingested the element set whose arrival revealed the maneuver
 * @param maneuverId the maneuver's id
 * @param objectId the catalog's id of the object (its NORAD id as text)
 * @param noradId NORAD catalog number
 * @param objectName its name, if known
 * @param epoch epoch of the later element set: the orbit after the maneuver
 * @param windowStart epoch of the earlier element set: the maneuver happened in [windowStart, epoch]
 * @param deltaV total Δv estimate, m/s
 * @param deltaVRadial radial component (unsigned), m/s
 * @param deltaVInTrack in-track component (+ raises the orbit), m/s
 * @param deltaVCrossTrack cross-track component (+ when the inclination grows), m/s
 * @param deltaSemiMajorAxis mean semi-major axis change, km
 * @param deltaInclination inclination change, degrees
 * @param maneuverType ALTITUDE_RAISE, ALTITUDE_LOWER, PLANE_CHANGE, PHASING or STATION_KEEPING
 * @param regime LEO, MEO, GEO or HEO
 * @param confidence in (0, 0.99]
 * @param beforeElementSetId the earlier element set
 * @param afterElementSetId the later element set
 * @param occurredAt when it was detected
 * @param burnTime estimated time of the burn (where the two trajectories meet); absent when unknown
 * @param burnTimeUncertainty ± seconds around burnTime (a revolution or more when the trajectories meet on several)
 * @param model what the platform's maneuver classifier (served by the inference service) takes it for; absent when
 *        no model was asked or it did not answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrbitalManeuversV1(String tenant, String maneuverId, String objectId, int noradId, String objectName,
        Instant epoch, Instant windowStart, double deltaV, double deltaVRadial, double deltaVInTrack,
        double deltaVCrossTrack, double deltaSemiMajorAxis, double deltaInclination, String maneuverType, String regime,
        double confidence, String beforeElementSetId, String afterElementSetId, Instant occurredAt, Instant burnTime,
        Double burnTimeUncertainty, ModelOpinion model) {

    /**
     * A model's classification of the maneuver.
     *
     * @param name the model's name in the inference service
     * @param version the version that answered
     * @param maneuverType what the model takes the maneuver for (the same values as {@code maneuverType})
     * @param confidence the model's probability for it
     */
    public record ModelOpinion(String name, String version, String maneuverType, double confidence) {
    }

    public static final String MANEUVER_DETECTED = "io.defensebuilders.orbital.v1.maneuver.detected";
    /** A late element set split the pair this maneuver came from: it is withdrawn, the finer pairs tell what happened. */
    public static final String MANEUVER_SUPERSEDED = "io.defensebuilders.orbital.v1.maneuver.superseded";

    public OrbitalManeuversV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(maneuverId, "maneuverId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(maneuverType, "maneuverType");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
