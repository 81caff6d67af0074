package io.defensebuilders.orbital;

import java.time.Instant;

/**
 * A catalogued object as one tenant sees it: its identity and description, and its current element set (the one with
 * the newest epoch among the shared catalog's and the tenant's own that stand).
 *
 * @param noradId NORAD catalog number
 * @param name object name
 * @param intlDesignator COSPAR international designator
 * @param objectType payload, rocket body, debris or unknown
 * @param owner owner or country code
 * @param current the element set with the newest epoch; null only while the first one is being stored
 * @param elementSetCount how many element sets the history holds; -1 where not counted (listings)
 * @param createdAt when the catalog first saw it
 * @param updatedAt last change to its description or current element set
 * @param shared whether the shared catalog holds it (else only the tenant's overlay does)
 */
public record CatalogObject(int noradId, String name, String intlDesignator, ObjectType objectType, String owner,
        ElementSetRecord current, long elementSetCount, Instant createdAt, Instant updatedAt, boolean shared) {
}
