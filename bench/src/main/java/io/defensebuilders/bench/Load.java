package io.defensebuilders.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: {@code concurrency} workers call an operation back to back for a fixed time after a
 * warm-up, recording every latency. Percentiles are exact (all samples are kept and sorted).
 */
final class Load {

    /** What one run measured. */
    record Result(String name, int concurrency, long operations, long errors, double seconds, double perSecond,
            double p50Ms, double p90Ms, double p99Ms, double maxMs) {

        String row() {
            return String.format("| %-34s | %3d | %9.0f | %7.2f | %7.2f | %7.2f | %8.2f | %6d |", name, concurrency, perSecond,
                    p50Ms, p90Ms, p99Ms, maxMs, errors);
        }

        static String header() {
            return "| operation                          |   c |     req/s | p50 ms  | p90 ms  | p99 ms  |  max ms  | errors |\n"
                    + "|------------------------------------|-----|-----------|---------|---------|---------|----------|--------|";
        }
    }

    /** One operation; answers whether it succeeded. */
    interface Op {
        boolean call(int worker) throws Exception;
    }

    private Load() {
    }

    static Result run(String name, int concurrency, Duration warmup, Duration duration, Op op) throws InterruptedException {
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        long end = warmupEnd + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long[] mine = new long[1 << 20];
            samples.add(mine);
            int worker = w;
            threads.add(Thread.ofPlatform().name("load-" + w).start(() -> {
                try {
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        boolean ok;
                        try {
                            ok = op.call(worker);
                        } catch (Exception e) {
                            ok = false;
                        }
                        long took = System.nanoTime() - start;
                        if (start >= warmupEnd) {
                            if (!ok) {
                                errors.incrementAndGet();
                            } else if (counts[worker] < mine.length) {
                                mine[counts[worker]++] = took;
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(samples.get(w), 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        double seconds = duration.toNanos() / 1e9;
        return new Result(name, concurrency, total, errors.get(), seconds, total / seconds, ms(all, 0.50), ms(all, 0.90),
                ms(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** Runs {@code tasks} on {@code concurrency} threads; used for seeding. */
    static void parallel(int concurrency, List<Callable<Void>> tasks) throws InterruptedException {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(concurrency);
        try {
            for (var f : pool.invokeAll(tasks)) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
