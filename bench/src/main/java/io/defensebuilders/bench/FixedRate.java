package io.defensebuilders.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * An open-loop load generator: sends requests at a fixed rate whatever the server does, and measures each latency
 * from the moment the request was due, not from when it was sent, so a stalled server shows up in the percentiles
 * instead of hiding behind fewer requests (no coordinated omission).
 */
final class FixedRate {

    /**
     * Latencies in ms and the error count of one run; {@code stalls}: how many times five or more calls due within
     * 5 ms of each other were all among the slowest 1%, and {@code inStalls} the share of that 1% they hold (the p99
     * is set by such moments, when everything waited at once, or by slow calls spread evenly).
     */
    record Result(String target, int rate, int sent, int errors, Map<Integer, Integer> statuses, double p50,
            double p90, double p99, double p999, double max, int stalls, double inStalls) {
        String row() {
            return String.format("| %-22s | %5d | %6d | %6d | %7.2f | %7.2f | %7.2f | %7.2f | %8.2f | %6d | %8.0f%% |",
                    target, rate, sent, errors, p50, p90, p99, p999, max, stalls, inStalls * 100);
        }

        static String header() {
            return "| target                 | req/s |   sent | errors | p50 ms  | p90 ms  | p99 ms  | p99.9 ms |  max ms  | stalls | in stalls |\n"
                    + "|------------------------|-------|--------|--------|---------|---------|---------|----------|----------|--------|-----------|";
        }
    }

    private FixedRate() {
    }

    /**
     * For experiments, in one JVM (so the generator's own warm-up hits only the first round):
     * {@code FixedRate rate seconds rounds path label=port[;Header: value] ...}; in each round the targets take turns
     * of a second ({@link #turns}), {@code seconds} measured each; one row per target and round.
     */
    public static void main(String[] args) throws InterruptedException {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String path = args[3];
        List<Target> targets = new ArrayList<>();
        for (int t = 4; t < args.length; t++) {
            String[] parts = args[t].split(";");
            String[] labelPort = parts[0].split("=");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int h = 1; h < parts.length; h++) {
                int colon = parts[h].indexOf(':');
                headers.put(parts[h].substring(0, colon), parts[h].substring(colon + 1).trim());
            }
            targets.add(new Target(labelPort[0], Integer.parseInt(labelPort[1]), path, headers));
        }
        System.out.println(Result.header());
        for (int round = 0; round < rounds; round++) {
            turns(targets, rate, seconds, 3, 1000).forEach(r -> System.out.println(r.row()));
        }
        System.exit(0);
    }

    /** Per column, the median of several runs of one target. */
    static Result median(List<Result> runs) {
        Result first = runs.getFirst();
        java.util.function.ToDoubleFunction<java.util.function.ToDoubleFunction<Result>> med = f -> {
            double[] v = runs.stream().mapToDouble(f).sorted().toArray();
            return v[v.length / 2];
        };
        return new Result(first.target() + " (median)", first.rate(), runs.stream().mapToInt(Result::sent).sum(),
                runs.stream().mapToInt(Result::errors).sum(), Map.of(), med.applyAsDouble(Result::p50),
                med.applyAsDouble(Result::p90), med.applyAsDouble(Result::p99), med.applyAsDouble(Result::p999),
                med.applyAsDouble(Result::max), (int) med.applyAsDouble(Result::stalls), med.applyAsDouble(Result::inStalls));
    }

    /** Where calls go: a label, 127.0.0.1:port and path, and the headers each call carries. */
    record Target(String label, int port, String path, Map<String, String> headers) {
    }

    /** One target alone at the fixed rate: {@code warmupSeconds} not measured, then {@code seconds} measured. */
    static Result run(Target target, int rate, int seconds, int warmupSeconds) throws InterruptedException {
        return turns(List.of(target), rate, seconds, warmupSeconds, 1000).getFirst();
    }

    /**
     * One fixed-rate schedule shared by several targets taking turns of {@code turnMillis} (the first {@code
     * warmupSeconds} not measured, then {@code seconds} of measured calls for each target), so that a slow minute of
     * the machine falls on all of them alike instead of on whichever ran then.
     */
    static List<Result> turns(List<Target> targets, int rate, int seconds, int warmupSeconds, int turnMillis)
            throws InterruptedException {
        // the generator's own garbage collection starts empty, so that with a young generation larger than one run
        // allocates (bench/gateway.sh gives it one) no collection pause of the generator lands in a measured run
        System.gc();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(128));
            int n = targets.size();
            int total = rate * (seconds * n + warmupSeconds);
            int warmup = rate * warmupSeconds;
            int perTurn = (int) ((long) rate * turnMillis / 1000);
            RequestOptions[] requests = targets.stream().map(t -> {
                RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(t.port()).setURI(t.path())
                        .setMethod(HttpMethod.GET).setIdleTimeout(10_000);
                t.headers().forEach(options::addHeader);
                return options;
            }).toArray(RequestOptions[]::new);
            long[] latencies = new long[total];
            AtomicIntegerArray errors = new AtomicIntegerArray(targets.size());
            List<Map<Integer, Integer>> statuses = targets.stream()
                    .map(t -> (Map<Integer, Integer>) new ConcurrentHashMap<Integer, Integer>()).toList();
            AtomicInteger done = new AtomicInteger();
            CountDownLatch finished = new CountDownLatch(1);
            long start = System.nanoTime();
            long startEpochMillis = System.currentTimeMillis();
            double intervalNanos = 1e9 / rate;
            AtomicLong next = new AtomicLong();
            // every millisecond, send whatever is due by now
            vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                while (next.get() < total && start + (long) (next.get() * intervalNanos) <= now) {
                    int index = (int) next.getAndIncrement();
                    int target = targetOf(index, warmup, perTurn, n);
                    long due = start + (long) (index * intervalNanos);
                    client.request(new RequestOptions(requests[target])).compose(r -> r.send())
                            .compose(r -> r.body().map(b -> r.statusCode()))
                            .onComplete(ar -> {
                                latencies[index] = System.nanoTime() - due;
                                if (index >= warmup && (ar.failed() || ar.result() != 200)) {
                                    errors.incrementAndGet(target);
                                }
                                statuses.get(target).merge(ar.failed() ? -1 : ar.result(), 1, Integer::sum);
                                if (done.incrementAndGet() == total) {
                                    finished.countDown();
                                }
                            });
                }
                if (next.get() >= total) {
                    vertx.cancelTimer(id);
                }
            });
            if (!finished.await(seconds * n + warmupSeconds + 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(targets + ": requests did not complete");
            }
            List<Result> results = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                int target = t;
                int[] mine = IntStream.range(warmup, total)
                        .filter(i -> targetOf(i, warmup, perTurn, n) == target).toArray();
                long[] inOrder = new long[mine.length];
                long[] due = new long[mine.length];
                for (int k = 0; k < mine.length; k++) {
                    inOrder[k] = latencies[mine[k]];
                    due[k] = (long) ((mine[k] - warmup) * intervalNanos);
                }
                dump(targets.get(t).label(), due, inOrder, startEpochMillis + warmupSeconds * 1000L);
                long[] measured = inOrder.clone();
                Arrays.sort(measured);
                long p99 = measured[percentileIndex(measured.length, 0.99)];
                int[] stalls = stalls(due, inOrder, p99, 5_000_000);
                int slow = measured.length - percentileIndex(measured.length, 0.99);
                results.add(new Result(targets.get(t).label(), rate, measured.length, errors.get(t),
                        new TreeMap<>(statuses.get(t)), ms(measured, 0.50), ms(measured, 0.90),
                        ms(measured, 0.99), ms(measured, 0.999), measured[measured.length - 1] / 1e6, stalls[0],
                        (double) stalls[1] / slow));
            }
            return results;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Which target call {@code index} goes to: turns counted from the end of the warm-up. */
    private static int targetOf(int index, int warmup, int perTurn, int n) {
        return Math.floorMod(Math.floorDiv(index - warmup, perTurn), n);
    }

    /**
     * With {@code -Dbench.latencies=DIR}: the first due time (epoch ms), then each measured call's due time from it
     * and its latency (µs), to DIR/TARGET-N.txt.
     */
    private static void dump(String target, long[] due, long[] latencies, long firstDueEpochMillis) {
        String dir = System.getProperty("bench.latencies");
        if (dir == null) {
            return;
        }
        try {
            Path folder = Files.createDirectories(Path.of(dir));
            Path file;
            int n = 0;
            do {
                file = folder.resolve(target + "-" + n++ + ".txt");
            } while (Files.exists(file));
            StringBuilder out = new StringBuilder(latencies.length * 16).append("# first due at epoch ms ")
                    .append(firstDueEpochMillis).append('\n');
            for (int i = 0; i < latencies.length; i++) {
                out.append(due[i] / 1000).append(' ').append(latencies[i] / 1000).append('\n');
            }
            Files.writeString(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Groups of at least five calls at or over {@code threshold}, each due within {@code windowNanos} of the previous
     * one: their count, and how many calls they hold.
     */
    static int[] stalls(long[] due, long[] latencies, long threshold, long windowNanos) {
        int groups = 0;
        int held = 0;
        int size = 0;
        long last = Long.MIN_VALUE / 2;
        for (int i = 0; i < latencies.length; i++) {
            if (latencies[i] < threshold) {
                continue;
            }
            if (due[i] - last > windowNanos) {
                if (size >= 5) {
                    groups++;
                    held += size;
                }
                size = 0;
            }
            size++;
            last = due[i];
        }
        if (size >= 5) {
            groups++;
            held += size;
        }
        return new int[] { groups, held };
    }

    private static int percentileIndex(int length, double q) {
        return (int) Math.max(0, Math.min(length - 1, Math.ceil(q * length) - 1));
    }

    private static double ms(long[] sorted, double q) {
        return sorted[percentileIndex(sorted.length, q)] / 1e6;
    }
}
