package io.defensebuilders.orbital;

import java.time.Instant;

/**
 * One validated SGP4 element set: the two TLE lines SGP4 runs on, and the values they hold in TLE units. Element
 * sets that arrive as OMM are held in the same form (their TLE lines are generated from the OMM values).
 *
 * @param noradId NORAD catalog number (Alpha-5 numbers up to 339999)
 * @param name object name from a 3LE name line or OMM OBJECT_NAME, if any
 * @param intlDesignator COSPAR international designator ({@code 1958-002B}), if any
 * @param classification U, C or S
 * @param epoch epoch (UTC)
 * @param meanMotion mean motion, revolutions per day
 * @param eccentricity eccentricity
 * @param inclination inclination, degrees
 * @param raOfAscNode right ascension of the ascending node, degrees
 * @param argOfPericenter argument of perigee, degrees
 * @param meanAnomaly mean anomaly, degrees
 * @param bstar B* drag term, 1/earth radii
 * @param meanMotionDot first derivative of mean motion divided by two, rev/day²
 * @param meanMotionDdot second derivative of mean motion divided by six, rev/day³
 * @param ephemerisType ephemeris type (0 for SGP4)
 * @param elementSetNo element set number
 * @param revAtEpoch revolution number at epoch
 * @param line1 TLE line 1
 * @param line2 TLE line 2
 * @param objectType the object type the input stated (OMM OBJECT_TYPE), if any
 * @param owner owner or country code the input stated, if any
 * @param format the input format
 */
public record ElementSet(int noradId, String name, String intlDesignator, String classification, Instant epoch,
        double meanMotion, double eccentricity, double inclination, double raOfAscNode, double argOfPericenter,
        double meanAnomaly, double bstar, double meanMotionDot, double meanMotionDdot, int ephemerisType,
        int elementSetNo, int revAtEpoch, String line1, String line2, ObjectType objectType, String owner,
        ElementFormat format) {

    /** The same elements described by other catalog metadata. */
    public ElementSet describedAs(String newName, ObjectType newType, String newOwner, ElementFormat newFormat) {
        return new ElementSet(noradId, newName, intlDesignator, classification, epoch, meanMotion, eccentricity,
                inclination, raOfAscNode, argOfPericenter, meanAnomaly, bstar, meanMotionDot, meanMotionDdot,
                ephemerisType, elementSetNo, revAtEpoch, line1, line2, newType, newOwner, newFormat);
    }
}
