package io.defensebuilders.orbital;

import java.util.List;

/**
 * A page of a keyset-paginated list (objects, element sets, maneuvers, screenings, conjunctions) and the cursor of the next
 * page (null on the last).
 */
public record Page<T>(List<T> items, String nextCursor) {
}
