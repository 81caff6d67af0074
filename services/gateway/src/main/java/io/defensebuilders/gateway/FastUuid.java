package io.defensebuilders.gateway;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs from the thread's non-cryptographic generator, for ids that are made for every call and
 * must be unique, not unguessable (request ids, usage event ids): {@link UUID#randomUUID()} takes a lock and reads
 * the kernel's random source each time.
 */
public final class FastUuid {

    private FastUuid() {
    }

    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | Long.MIN_VALUE;
        return new UUID(high, low);
    }
}
