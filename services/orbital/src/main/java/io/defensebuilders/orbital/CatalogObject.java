package io.defensebuilders.orbital;

import java.time.Instant;

/**
 * A catalogued object: its identity and description, shared by all tenants, and its current element set (the one
 * with the newest epoch).
 *
 * @param noradId         NORAD catalog number
 * @param name            object name
 * @param intlDesignator  COSPAR international designator
 * @param objectType      payload, rocket body, debris or unknown
 * @param owner           owner or country code
 * @param current         the element set with the newest epoch; null only while the first one is being stored
 * @param elementSetCount how many element sets the history holds; -1 where not counted (listings)
 * @param createdAt       when the catalog first saw it
 * @param updatedAt       last change to its description or current element set
 */
public record CatalogObject(int noradId, String name, String intlDesignator, ObjectType objectType, String owner,
        ElementSetRecord current, long elementSetCount, Instant createdAt, Instant updatedAt) {
}
