package io.defensebuilders.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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

    /** Latencies in ms and the error count of one run. */
    record Result(String target, int rate, int sent, int errors, java.util.Map<Integer, Integer> statuses, double p50,
            double p90, double p99, double p999, double max) {
        String row() {
            return String.format("| %-22s | %5d | %6d | %6d | %7.2f | %7.2f | %7.2f | %7.2f | %8.2f |", target, rate, sent,
                    errors, p50, p90, p99, p999, max);
        }

        static String header() {
            return "| target                 | req/s |   sent | errors | p50 ms  | p90 ms  | p99 ms  | p99.9 ms |  max ms  |\n"
                    + "|------------------------|-------|--------|--------|---------|---------|---------|----------|----------|";
        }
    }

    private FixedRate() {
    }

    /**
     * Targets on their own, for experiments, in one JVM (so the generator's own warm-up hits only the first round):
     * {@code FixedRate rate seconds rounds path label=port[;Header: value] ...}, the targets interleaved in each round,
     * one row per run.
     */
    public static void main(String[] args) throws InterruptedException {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String path = args[3];
        System.out.println(Result.header());
        for (int round = 0; round < rounds; round++) {
            for (int t = 4; t < args.length; t++) {
                String[] parts = args[t].split(";");
                String[] labelPort = parts[0].split("=");
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                for (int h = 1; h < parts.length; h++) {
                    int colon = parts[h].indexOf(':');
                    headers.put(parts[h].substring(0, colon), parts[h].substring(colon + 1).trim());
                }
                System.out.println(run(labelPort[0], "127.0.0.1", Integer.parseInt(labelPort[1]), path, headers, rate,
                        seconds, 3).row());
            }
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
                med.applyAsDouble(Result::max));
    }

    static Result run(String target, String host, int port, String path, Map<String, String> headers, int rate,
            int seconds, int warmupSeconds) throws InterruptedException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(128));
            int total = rate * (seconds + warmupSeconds);
            int warmup = rate * warmupSeconds;
            long[] latencies = new long[total];
            AtomicInteger errors = new AtomicInteger();
            java.util.Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger done = new AtomicInteger();
            CountDownLatch finished = new CountDownLatch(1);
            long start = System.nanoTime();
            double intervalNanos = 1e9 / rate;
            AtomicLong next = new AtomicLong();
            // every millisecond, send whatever is due by now
            vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                while (next.get() < total && start + (long) (next.get() * intervalNanos) <= now) {
                    int index = (int) next.getAndIncrement();
                    long due = start + (long) (index * intervalNanos);
                    RequestOptions options = new RequestOptions().setHost(host).setPort(port).setURI(path)
                            .setMethod(HttpMethod.GET).setIdleTimeout(10_000);
                    headers.forEach(options::addHeader);
                    client.request(options).compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode()))
                            .onComplete(ar -> {
                                latencies[index] = System.nanoTime() - due;
                                if (ar.failed() || ar.result() != 200) {
                                    errors.incrementAndGet();
                                }
                                statuses.merge(ar.failed() ? -1 : ar.result(), 1, Integer::sum);
                                if (done.incrementAndGet() == total) {
                                    finished.countDown();
                                }
                            });
                }
                if (next.get() >= total) {
                    vertx.cancelTimer(id);
                }
            });
            if (!finished.await(seconds + warmupSeconds + 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(target + ": requests did not complete");
            }
            long[] measured = Arrays.copyOfRange(latencies, warmup, total);
            Arrays.sort(measured);
            return new Result(target, rate, measured.length, errors.get(), new java.util.TreeMap<>(statuses), ms(measured, 0.50), ms(measured, 0.90),
                    ms(measured, 0.99), ms(measured, 0.999), measured[measured.length - 1] / 1e6);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static double ms(long[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
