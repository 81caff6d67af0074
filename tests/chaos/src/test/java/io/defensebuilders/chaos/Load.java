package io.defensebuilders.chaos;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Steady calls through the gateway from a few virtual threads, as one tenant: reads and writes across the registry,
 * billing, orbital and analytics. Every call is kept (when, which route, status, latency), and every confirmed write
 * goes into the tenant's ledger.
 */
final class Load implements AutoCloseable {

    static final int CLIENTS = 4;
    /** A pause between a client's calls: a steady load, not a saturating one, on two shared cores. */
    static final Duration THINK = Duration.ofMillis(25);

    /** One call: started at {@code at}, to {@code route} (the service behind it), with what it got. */
    record Sample(Instant at, String op, String route, Gateway.Reply reply) {
    }

    private final Gateway gateway;
    private final Tenant tenant;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    private Load(Gateway gateway, Tenant tenant) {
        this.gateway = gateway;
        this.tenant = tenant;
    }

    static Load start(Gateway gateway, Tenant tenant) {
        Load load = new Load(gateway, tenant);
        for (int i = 0; i < CLIENTS; i++) {
            load.clients.add(Thread.ofVirtual().name("chaos-client-" + i).start(load::loop));
        }
        return load;
    }

    private void loop() {
        while (running) {
            call();
            sleep(THINK);
        }
    }

    private void call() {
        int pick = ThreadLocalRandom.current().nextInt(100);
        Instant at = Instant.now();
        if (pick < 15) {
            record(at, "registry.list", "sdk-registry", gateway.json("GET", "/api/v1/sdks?limit=5", tenant.key, null));
        } else if (pick < 25) {
            String sdk = tenant.nextSdk();
            Gateway.Reply r = gateway.json("POST", "/api/v1/sdks", tenant.key, "{\"name\":\"" + sdk + "\",\"publisher\":\""
                    + tenant.publisher + "\",\"title\":\"Chaos\",\"license\":\"MIT\",\"visibility\":\"private\"}");
            if (r.status() == 201) {
                tenant.sdksConfirmed.add(sdk);
            }
            record(at, "registry.create", "sdk-registry", r);
        } else if (pick < 45) {
            Instant from = Instant.now().truncatedTo(ChronoUnit.DAYS);
            record(at, "billing.usage", "billing", gateway.json("GET", "/api/v1/billing/usage?meter=api.call&from="
                    + from + "&to=" + from.plus(1, ChronoUnit.DAYS), tenant.key, null));
        } else if (pick < 65) {
            record(at, "orbital.history", "orbital", gateway.json("GET", "/api/v1/orbital/objects/" + tenant.norad
                    + "/element-sets?order=desc&limit=5", tenant.key, null));
        } else if (pick < 80) {
            int seq = tenant.elementSeq.incrementAndGet();
            tenant.elementSetsSent.add(seq);
            Gateway.Reply r = gateway.send("POST", "/api/v1/orbital/element-sets", tenant.key, "text/plain",
                    tenant.tle(seq));
            if (r.ok() && r.json().path("stored").asInt() == 1) {
                tenant.elementSetsConfirmed.add(seq);
            }
            record(at, "orbital.upload", "orbital", r);
        } else {
            record(at, "analytics.query", "analytics", gateway.json("POST", "/api/v1/analytics/query", tenant.key,
                    "{\"metrics\":[\"events\"],\"date_range\":\"24h\",\"dimensions\":[\"event:type\"]}"));
        }
    }

    private void record(Instant at, String op, String route, Gateway.Reply reply) {
        samples.add(new Sample(at, op, route, reply));
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The calls that started at or after {@code from}. */
    List<Sample> since(Instant from) {
        return samples.stream().filter(s -> !s.at().isBefore(from)).toList();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : clients) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Figures of a set of calls: how many, statuses, latency percentiles. */
    record Figures(int calls, Map<Integer, Integer> statuses, long p50, long p99, long max) {
        static Figures of(List<Sample> samples) {
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<Long> millis = new ArrayList<>();
            for (Sample s : samples) {
                statuses.merge(s.reply().status(), 1, Integer::sum);
                millis.add(s.reply().millis());
            }
            millis.sort(null);
            return new Figures(samples.size(), statuses, percentile(millis, 0.50), percentile(millis, 0.99),
                    millis.isEmpty() ? 0 : millis.getLast());
        }

        int count(Predicate<Integer> status) {
            return statuses.entrySet().stream().filter(e -> status.test(e.getKey())).mapToInt(Map.Entry::getValue).sum();
        }

        @Override
        public String toString() {
            return calls + " calls, statuses " + statuses + " (0: no answer), p50 " + p50 + " ms, p99 " + p99
                    + " ms, max " + max + " ms";
        }
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** A few calls, described for a failure message. */
    static String describe(List<Sample> samples) {
        StringBuilder out = new StringBuilder();
        for (Sample s : samples.stream().limit(5).toList()) {
            Gateway.Reply r = s.reply();
            out.append("\n  ").append(s.at()).append(' ').append(s.op()).append(" -> ").append(r.status()).append(" in ")
                    .append(r.millis()).append(" ms");
            if (r.error() != null) {
                out.append(" (").append(r.error()).append(')');
            } else {
                out.append(" ").append(r.contentType()).append(" Retry-After=").append(r.retryAfter()).append(' ')
                        .append(r.text());
            }
        }
        if (samples.size() > 5) {
            out.append("\n  ... and ").append(samples.size() - 5).append(" more");
        }
        return out.toString();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
