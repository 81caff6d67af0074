package io.defensebuilders.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows a billing bench run from billing's committed offsets: every 250 ms a sample (time, produced, consumed =
 * offsets committed since the start, lag, load average), a progress line every 5 s, and in fault mode a SIGKILL of
 * billing (and its restart) each time the committed share passes a kill point; until the producer is done and every
 * record is consumed.
 */
final class ConsumptionWatch {

    /** What the run looked like: its samples, its kills, when the producer finished (nanoTime). */
    record Outcome(List<Map<String, Object>> samples, List<Map<String, Object>> kills, long producedDoneAt) {
    }

    private final Admin admin;
    private final String group;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> start;
    private final BillingProcess billing;
    private final Path log;

    /** Reads {@code group}'s offsets of {@code partitions}, counted from {@code start}. */
    ConsumptionWatch(Admin admin, String group, List<TopicPartition> partitions, Map<TopicPartition, Long> start,
            BillingProcess billing, Path log) {
        this.admin = admin;
        this.group = group;
        this.partitions = partitions;
        this.start = start;
        this.billing = billing;
        this.log = log;
    }

    /**
     * Watches until all {@code total} records are consumed. {@code killAt}: shares of the records consumed at which
     * billing is SIGKILLed and started again (none: no kills); {@code producedDoneAt}: when the producer finished, if it
     * already has (else -1).
     */
    Outcome watch(int total, double[] killAt, long t0, Thread producer, AtomicLong produced,
            AtomicReference<Exception> produceError, long producedDoneAt) throws Exception {
        List<Map<String, Object>> samples = new ArrayList<>();
        List<Map<String, Object>> kills = new ArrayList<>();
        int nextKill = 0;
        long lastConsumed = -1;
        long lastMovedAt = System.nanoTime();
        long lastPrint = 0;
        while (true) {
            long now = System.nanoTime();
            long consumed = consumed();
            long prod = produced.get();
            long lag = prod - consumed;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("t", Math.round((now - t0) / 1e6) / 1000.0);
            s.put("produced", prod);
            s.put("consumed", consumed);
            s.put("lag", lag);
            s.put("load", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            samples.add(s);
            if (consumed != lastConsumed) {
                lastConsumed = consumed;
                lastMovedAt = now;
            }
            if (now - lastPrint > 5_000_000_000L) {
                say(String.format("t=%5.1fs produced %,9d consumed %,9d lag %,9d load %s", (now - t0) / 1e9, prod,
                        consumed, lag, s.get("load")));
                lastPrint = now;
            }
            if (produceError.get() != null) {
                throw produceError.get();
            }
            if (producedDoneAt < 0 && !producer.isAlive()) {
                producedDoneAt = now;
                say(String.format("producer done: %,d records in %.1f s", total, (now - t0) / 1e9));
            }
            if (nextKill < killAt.length && consumed >= killAt[nextKill] * total) {
                nextKill++;
                s.put("event", "SIGKILL");
                kills.add(killAndRestart(now, t0, consumed, total));
            }
            if (producedDoneAt > 0 && consumed >= total) {
                return new Outcome(samples, kills, producedDoneAt);
            }
            if (now - lastMovedAt > 300_000_000_000L) {
                throw new IllegalStateException("no progress for 5 minutes; see " + log);
            }
            Thread.sleep(250);
        }
    }

    /** Records consumed: the group's committed offsets past where the run started. */
    private long consumed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        long consumed = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = committed.get(tp);
            if (o != null) {
                consumed += o.offset() - start.get(tp);
            }
        }
        return consumed;
    }

    private Map<String, Object> killAndRestart(long killedAt, long t0, long consumed, int total) throws Exception {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("atSeconds", (killedAt - t0) / 1e9);
        k.put("committedAtKill", consumed);
        // what the process had counted, scraped just before it dies (its counters die with it)
        k.put("billingMetricsBeforeKill", billing.metrics());
        say(String.format("SIGKILL billing (pid %d) at %,d of %,d records consumed", billing.pid(), consumed, total));
        billing.kill();
        billing.start();
        long restartedAt = System.nanoTime();
        k.put("restartSeconds", (restartedAt - killedAt) / 1e9);
        say(String.format("billing restarted and ready in %.1f s", (restartedAt - killedAt) / 1e9));
        return k;
    }

    /** Consumption rate and lag from the samples (after the drain start for a pre-loaded backlog). */
    static void rates(List<Map<String, Object>> samples, Map<String, Object> result, double from) {
        double first = -1;
        double last = -1;
        long c0 = 0;
        long c1 = 0;
        long maxLag = 0;
        double lagSum = 0;
        int n = 0;
        double bestWindow = 0;
        List<Map<String, Object>> window = new ArrayList<>();
        for (Map<String, Object> s : samples) {
            double t = (Double) s.get("t");
            long consumed = (Long) s.get("consumed");
            long lag = (Long) s.get("lag");
            if (t < from) {
                continue;
            }
            maxLag = Math.max(maxLag, lag);
            lagSum += lag;
            n++;
            if (consumed > 0 && first < 0) {
                first = t;
                c0 = consumed;
            }
            if (first >= 0 && consumed > c1) {
                last = t;
                c1 = consumed;
            }
            window.add(s);
            while (window.size() > 1 && t - (Double) window.get(0).get("t") > 10.0) {
                window.remove(0);
            }
            double wt = t - (Double) window.get(0).get("t");
            if (wt >= 9.0) {
                bestWindow = Math.max(bestWindow, (consumed - (Long) window.get(0).get("consumed")) / wt);
            }
        }
        double rate = last > first ? (c1 - c0) / (last - first) : 0;
        result.put("consumeRecordsPerSecond", Math.round(rate));
        result.put("consumeBest10sRecordsPerSecond", Math.round(bestWindow));
        result.put("consumeFirstCommitToLastSeconds", last - first);
        result.put("maxLag", maxLag);
        result.put("avgLag", n == 0 ? 0 : Math.round(lagSum / n));
        say(String.format("consumption: %,.0f records/s from first to last commit (%.1f s), best 10 s window %,.0f/s; "
                + "lag max %,d avg %,.0f", rate, last - first, bestWindow, maxLag, n == 0 ? 0 : lagSum / n));
    }

    private static void say(String s) {
        BillingFault.say(s);
    }
}
