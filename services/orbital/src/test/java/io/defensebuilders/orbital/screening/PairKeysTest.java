package io.defensebuilders.orbital.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The screening's packed pair and candidate keys, without a screening around them, and the limits they set. */
class PairKeysTest {

    private static final int MAX = PairKeys.MAX_INDEX;
    private static final int[] INDICES = { 0, 1, 2, 4095, 1 << 19, (1 << 19) + 1, MAX - 1, MAX };
    private static final int[] STEPS = { 0, 1, 4319, 1 << 23, PairKeys.MAX_STEP - 1, PairKeys.MAX_STEP };

    @Test
    void limitsAreTheFieldWidths() {
        assertEquals(1_048_575, PairKeys.MAX_INDEX);
        assertEquals(16_777_215, PairKeys.MAX_STEP);
        // lower index, higher index and step fill the 64 bits exactly
        assertEquals(64, 2 * PairKeys.INDEX_BITS + PairKeys.STEP_BITS);
    }

    @Test
    void aPairKeyGivesBackItsIndicesLowerFirst() {
        for (int a : INDICES) {
            for (int b : INDICES) {
                long key = PairKeys.pack(a, b);
                assertEquals(Math.min(a, b), PairKeys.first(key), a + "," + b);
                assertEquals(Math.max(a, b), PairKeys.second(key), a + "," + b);
            }
        }
    }

    @Test
    void bothOrdersOfAPairAreOneKeyAndDifferentPairsAreNot() {
        List<Long> keys = new ArrayList<>();
        for (int a : INDICES) {
            for (int b : INDICES) {
                assertEquals(PairKeys.pack(a, b), PairKeys.pack(b, a), a + "," + b);
                if (a < b) {
                    keys.add(PairKeys.pack(a, b));
                }
            }
        }
        assertEquals(keys.size(), keys.stream().distinct().count());
    }

    @Test
    void theBoundaryPairsHaveTheDocumentedLayout() {
        assertEquals(0L, PairKeys.pack(0, 0));
        assertEquals(1L, PairKeys.pack(0, 1));
        assertEquals(1L, PairKeys.pack(1, 0));
        assertEquals((1L << 20) | 2, PairKeys.pack(2, 1));
        assertEquals((long) MAX, PairKeys.pack(MAX, 0));
        assertEquals((1L << 40) - 1, PairKeys.pack(MAX, MAX));
        assertEquals(0, PairKeys.first(PairKeys.pack(MAX, 0)));
        assertEquals(MAX, PairKeys.second(PairKeys.pack(MAX, 0)));
        assertEquals(MAX, PairKeys.first(PairKeys.pack(MAX, MAX)));
        assertEquals(MAX, PairKeys.second(PairKeys.pack(MAX, MAX)));
    }

    @Test
    void aCandidateKeyGivesBackItsPairAndStep() {
        for (int a : INDICES) {
            for (int b : INDICES) {
                for (int step : STEPS) {
                    long c = PairKeys.candidate(a, b, step);
                    assertEquals(PairKeys.candidate(b, a, step), c);
                    assertEquals(PairKeys.pack(a, b), PairKeys.pair(c));
                    assertEquals(step, PairKeys.step(c));
                    assertEquals(Math.min(a, b), PairKeys.first(PairKeys.pair(c)));
                    assertEquals(Math.max(a, b), PairKeys.second(PairKeys.pair(c)));
                }
            }
        }
    }

    @Test
    void aCandidateKeyIsLowerIndexThenHigherIndexThenStep() {
        // the layout the detectors wrote before the codec: (i << 44 | j << 24 | step), i < j
        assertEquals((3L << 44) | (7L << 24) | 11, PairKeys.candidate(7, 3, 11));
        assertEquals(0L, PairKeys.candidate(0, 0, 0));
        assertEquals(-1L, PairKeys.candidate(MAX, MAX, PairKeys.MAX_STEP));
        assertEquals(PairKeys.MAX_STEP, PairKeys.candidate(0, 0, PairKeys.MAX_STEP));
        // from 2^19 on, the lower index reaches the sign bit
        assertTrue(PairKeys.candidate(1 << 19, MAX, 0) < 0);
        assertEquals(1 << 19, PairKeys.first(PairKeys.pair(PairKeys.candidate(1 << 19, MAX, 0))));
        assertNotEquals(PairKeys.candidate(0, 1, 2), PairKeys.candidate(0, 2, 1));
    }

    @Test
    void sortedCandidatesOfAPairAreAdjacentAndInStepOrder() {
        Random random = new Random(20);
        int[] lows = { 0, 5, (1 << 19) - 1, 1 << 19, MAX - 1 };
        long[] keys = new long[2000];
        for (int k = 0; k < keys.length; k++) {
            int a = lows[random.nextInt(lows.length)];
            int b = Math.min(MAX, a + 1 + random.nextInt(3));
            int step = random.nextInt(PairKeys.MAX_STEP + 1);
            keys[k] = random.nextBoolean() ? PairKeys.candidate(a, b, step) : PairKeys.candidate(b, a, step);
        }
        Arrays.sort(keys);
        List<Long> seen = new ArrayList<>();
        for (int k = 0; k < keys.length; k++) {
            long pair = PairKeys.pair(keys[k]);
            if (k > 0 && PairKeys.pair(keys[k - 1]) == pair) {
                assertTrue(PairKeys.step(keys[k - 1]) <= PairKeys.step(keys[k]), "steps of a pair in order");
            } else {
                assertFalse(seen.contains(pair), "each pair's candidates in one run");
                seen.add(pair);
            }
        }
        assertTrue(seen.size() > 5);
    }

    @Test
    void theScreenerRefusesRunsWhoseKeysItCouldNotHold() {
        Screener screener = new Screener(null);
        Screener.Target target = new Screener.Target(1, null);
        Screener.Options day = Screener.Options.of(86400, 5).withThreads(1);
        IllegalArgumentException objects = assertThrows(IllegalArgumentException.class,
                () -> screener.screen(Collections.nCopies(MAX + 2, target), null, null, day, null));
        assertTrue(objects.getMessage().contains("1048577 objects"), objects.getMessage());
        // 20 s steps: 2^24 steps are about 10.6 years
        Screener.Options elevenYears = Screener.Options.of(11 * 365.25 * 86400, 5).withThreads(1);
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                () -> screener.screen(List.of(target), null, null, elevenYears, null));
        assertTrue(steps.getMessage().contains("17356680 steps"), steps.getMessage());
    }
}
