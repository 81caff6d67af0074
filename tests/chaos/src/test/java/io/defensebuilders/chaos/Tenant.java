package io.defensebuilders.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scenario's tenant, made through the gateway, and the ledger of what its calls did: what it sent, what the
 * platform confirmed (2xx), and what it therefore must hold afterwards, once each.
 */
final class Tenant {

    /** Element-set epochs are 2000-01-01 plus a multiple of this (0.001 day, exact in a TLE's 8 decimals). */
    static final long EPOCH_STEP_MILLIS = 86_400;
    static final Instant EPOCH_BASE = Instant.parse("2000-01-01T00:00:00Z");

    final String id;
    final String key;
    final String publisher;
    final int norad;

    /** Proxied calls made while setting the tenant up, retries included: metered as the load's are. */
    int setupCalls;

    final AtomicInteger sdkSeq = new AtomicInteger();
    final AtomicInteger elementSeq = new AtomicInteger();
    /** SDKs whose creation was confirmed (201); each must be published once (registry.v1 via the outbox). */
    final Set<String> sdksConfirmed = ConcurrentHashMap.newKeySet();
    /** SDK creations sent: an unconfirmed one may or may not exist. */
    final AtomicInteger sdksSent = new AtomicInteger();
    /** Element-set sequence numbers whose upload was confirmed as stored. */
    final Set<Integer> elementSetsConfirmed = ConcurrentHashMap.newKeySet();
    final Set<Integer> elementSetsSent = ConcurrentHashMap.newKeySet();

    private Tenant(String id, String key, String publisher, int norad) {
        this.id = id;
        this.key = key;
        this.publisher = publisher;
        this.norad = norad;
    }

    /** A tenant on the enterprise plan (rate limits out of the way), an admin+publisher key and a publisher. */
    static Tenant create(Gateway gateway, String bootstrapKey, String run, String scenario) {
        String id = ("ch-" + run + "-" + scenario).toLowerCase(Locale.ROOT);
        gateway.must("POST", "/api/v1/tenants", bootstrapKey, "{\"id\":\"" + id + "\",\"name\":\"Chaos " + scenario
                + "\",\"plan\":\"enterprise\"}", 201);
        String key = gateway.must("POST", "/api/v1/api-keys", bootstrapKey, "{\"name\":\"chaos\",\"roles\":[\"admin\","
                + "\"publisher\"],\"tenant\":\"" + id + "\"}", 201).path("secret").asText();
        String publisher = id + "-pub";
        Tenant t = new Tenant(id, key, publisher, ThreadLocalRandom.current().nextInt(10_000, 99_999));
        // proxied (so metered) calls: the publisher, and a first element set so the object's history is not 404
        t.setup("the publisher", () -> gateway.json("POST", "/api/v1/publishers", key, "{\"name\":\"" + publisher
                + "\",\"displayName\":\"Chaos\"}"));
        t.elementSetsSent.add(0);
        // a repeated upload of the same element set is stored once (same NORAD id and epoch)
        t.setup("the first element set", () -> gateway.send("POST", "/api/v1/orbital/element-sets", key, "text/plain",
                t.tle(0)));
        t.elementSetsConfirmed.add(0);
        return t;
    }

    /**
     * A setup call, tried until it succeeds: right after a scenario the gateway may still hold calls to a restarted
     * service back for a moment. Every try is metered, so every try is counted.
     */
    private void setup(String what, java.util.function.Supplier<Gateway.Reply> call) {
        Gateway.Reply r = null;
        for (int attempt = 0; attempt < 30 && (r == null || !r.ok()); attempt++) {
            if (r != null) {
                Load.sleep(java.time.Duration.ofMillis(500));
            }
            r = call.get();
            setupCalls++;
        }
        if (!r.ok()) {
            throw new IllegalStateException("setting up " + id + ": " + what + " was answered " + r.status() + " "
                    + r.text());
        }
    }

    String nextSdk() {
        sdksSent.incrementAndGet();
        return id + "-sdk-" + sdkSeq.incrementAndGet();
    }

    /** A TLE of this tenant's object with an epoch no other upload of it has: {@code seq} names it. */
    byte[] tle(int seq) {
        String epoch = String.format(Locale.ROOT, "00%03d.%08d", 1 + seq / 1000, (seq % 1000) * 100_000);
        String n = String.format(Locale.ROOT, "%05d", norad);
        String line1 = "1 " + n + "U 58002B   " + epoch + "  .00000023  00000-0  28098-4 0  475";
        String line2 = "2 " + n + "  34.2682 348.7242 1859667 331.7664  19.3264 10.8241915741366";
        return ("CHAOS " + seq + "\n" + line1 + checksum(line1) + "\n" + line2 + checksum(line2))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The sequence number of the upload an element set's epoch came from. */
    static int seqOf(Instant epoch) {
        return (int) Math.round((epoch.toEpochMilli() - EPOCH_BASE.toEpochMilli()) / (double) EPOCH_STEP_MILLIS);
    }

    private static int checksum(String line) {
        int sum = 0;
        for (char c : line.toCharArray()) {
            if (Character.isDigit(c)) {
                sum += c - '0';
            } else if (c == '-') {
                sum++;
            }
        }
        return sum % 10;
    }
}
