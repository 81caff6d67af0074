package io.defensebuilders.orbital.screening;

/**
 * The screening's packed keys, primitive longs so the detectors' output stays a plain {@code long[]}.
 *
 * <ul>
 * <li>A <b>pair key</b> ({@link #pack}) holds two object indices, the lower in bits 20-39 and the higher in bits
 * 0-19: {@code (a, b)} and {@code (b, a)} are the same key, {@link #first} is the lower index and {@link #second} the
 * higher.</li>
 * <li>A <b>candidate key</b> ({@link #candidate}) is a pair key above a 24-bit detection step: bits 44-63 the lower
 * index, 24-43 the higher, 0-23 the step. Sorted as signed longs ({@link java.util.Arrays#sort(long[])}), the
 * candidates of one pair are adjacent and in step order. The order between pairs is the pair keys' only while the
 * lower index is below 2<sup>19</sup> (above, the sign bit is set and those pairs come first); nothing relies on
 * it.</li>
 * </ul>
 *
 * Indices go up to {@link #MAX_INDEX} and steps up to {@link #MAX_STEP}; they are not checked here (the screener
 * checks its object and step counts once per run).
 */
final class PairKeys {

    static final int INDEX_BITS = 20;
    static final int STEP_BITS = 24;
    /** The largest object index a key holds. */
    static final int MAX_INDEX = (1 << INDEX_BITS) - 1;
    /** The largest detection step a candidate key holds. */
    static final int MAX_STEP = (1 << STEP_BITS) - 1;

    private PairKeys() {
    }

    /** The key of the pair {@code a}, {@code b} in either order. */
    static long pack(int a, int b) {
        return (long) Math.min(a, b) << INDEX_BITS | Math.max(a, b);
    }

    /** The lower index of a pair key. */
    static int first(long pair) {
        return (int) (pair >>> INDEX_BITS);
    }

    /** The higher index of a pair key. */
    static int second(long pair) {
        return (int) (pair & MAX_INDEX);
    }

    /** The candidate key of the pair {@code a}, {@code b} (either order) at detection step {@code step}. */
    static long candidate(int a, int b, int step) {
        return pack(a, b) << STEP_BITS | step;
    }

    /** The pair key of a candidate key. */
    static long pair(long candidate) {
        return candidate >>> STEP_BITS;
    }

    /** The detection step of a candidate key. */
    static int step(long candidate) {
        return (int) (candidate & MAX_STEP);
    }
}
