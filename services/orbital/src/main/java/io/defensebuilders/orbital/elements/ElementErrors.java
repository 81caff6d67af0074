package io.defensebuilders.orbital.elements;

import java.util.ArrayList;
import java.util.List;

import io.defensebuilders.platform.problem.Problem;
import io.defensebuilders.platform.problem.ProblemException;

/**
 * What is wrong with element-set input, each entry naming where (input line, JSON index or request field) and which
 * field. Becomes one 400 problem ({@value #SLUG}) listing them all, so a whole file can be fixed in one round.
 */
public final class ElementErrors {

    public static final String SLUG = "invalid-element-set";
    public static final String TITLE = "The element sets are invalid";
    /** More than this many are counted but not listed. */
    static final int MAX_LISTED = 100;

    private final List<Problem.FieldError> listed = new ArrayList<>();
    private int count;

    /** Records one problem; {@code field} says where and what, e.g. {@code line 3: eccentricity}. */
    public void add(String field, String message) {
        count++;
        if (listed.size() < MAX_LISTED) {
            listed.add(new Problem.FieldError(field, message));
        }
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Throws the 400 problem listing every error, if there is any. */
    public void throwIfAny() {
        if (count == 0) {
            return;
        }
        Problem.FieldError first = listed.getFirst();
        String detail = (count == 1 ? "1 error" : count + " errors") + " in the element sets; first: " + first.field()
                + ": " + first.message() + (count > MAX_LISTED ? " (the first " + MAX_LISTED + " are listed)" : "");
        throw new ProblemException(400, SLUG, TITLE, detail, List.copyOf(listed)).with("errorCount", count);
    }
}
