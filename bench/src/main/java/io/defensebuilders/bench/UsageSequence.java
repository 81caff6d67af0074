package io.defensebuilders.bench;

import java.util.SplittableRandom;

/**
 * The records of a billing bench run: the distinct event each record carries (unique events 0..U-1, in order, with
 * exact re-sends interleaved, some of the event just sent, some of one anywhere earlier) and each tenant's count of
 * distinct events, which is what its invoice must bill. The same for every run with the same size (seed 42).
 *
 * @param events the event of each record, in sending order
 * @param unique distinct events
 * @param duplicates records that re-send an earlier event
 * @param adjacent re-sends of the event just sent
 * @param farApart re-sends of an event sent anywhere earlier
 * @param perTenant distinct events per tenant (index into {@link #SHARES})
 */
record UsageSequence(int[] events, int unique, int duplicates, int adjacent, int farApart, long[] perTenant) {

    /** Shares of the unique events per tenant: one far into the second tier, one in the first, one barely, one free. */
    static final double[] SHARES = { 0.46, 0.30, 0.19, 0.05 };

    static UsageSequence of(int total, double dupRate) {
        int dups = (int) Math.round(total * dupRate);
        int[] sequence = new int[total];
        SplittableRandom rnd = new SplittableRandom(42);
        boolean[] isDup = new boolean[total];
        for (int d = 0; d < dups; d++) {
            int slot;
            do {
                slot = 1 + rnd.nextInt(total - 1);
            } while (isDup[slot]);
            isDup[slot] = true;
        }
        int next = 0;
        int adjacent = 0;
        int far = 0;
        for (int i = 0; i < total; i++) {
            if (isDup[i] && next > 0) {
                if (rnd.nextBoolean()) {
                    sequence[i] = next - 1; // the event just sent, again
                    adjacent++;
                } else {
                    sequence[i] = rnd.nextInt(next); // an event sent anywhere earlier
                    far++;
                }
            } else {
                sequence[i] = next++;
            }
        }
        // a duplicate slot could not be one (slot 0): the counts follow what was built
        int unique = next;
        long[] perTenant = new long[SHARES.length];
        for (int e = 0; e < unique; e++) {
            perTenant[tenantOf(e)]++;
        }
        return new UsageSequence(sequence, unique, total - unique, adjacent, far, perTenant);
    }

    /** Event e's tenant: contiguous share blocks would put one tenant per phase, so interleave by a hash. */
    static int tenantOf(int e) {
        double u = ((e * 0x9E3779B97F4A7C15L) >>> 11) / (double) (1L << 53);
        double acc = 0;
        for (int t = 0; t < SHARES.length; t++) {
            acc += SHARES[t];
            if (u < acc) {
                return t;
            }
        }
        return SHARES.length - 1;
    }
}
