package io.defensebuilders.orbital.maneuvers;

/**
 * What a model served by the inference service takes a maneuver for, beside the detector's rule.
 *
 * @param model the model's name
 * @param version the version that answered
 * @param classification ALTITUDE_RAISE, ALTITUDE_LOWER, PLANE_CHANGE, PHASING or STATION_KEEPING
 * @param confidence the model's probability for that classification
 */
public record ModelOpinion(String model, String version, String classification, double confidence) {
}
