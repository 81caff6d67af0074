package io.defensebuilders.local;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.defensebuilders.testing.infra.ServerProcess;

/**
 * bench/startup.sh: how soon each service is ready, and how much memory it holds then, started the way
 * {@code ./platform up} starts it, with and without its JDK AOT cache, side by side in one run: each service alone
 * (the others stopped), then the whole fleet at once. Time: from the process start to the first 200 of
 * {@code /q/health/ready} (polled every 20 ms). RSS: the JVM's {@code VmRSS} right then. Medians over the rounds.
 * The infrastructure (PostgreSQL, Redis, Kafka) is started first and left running; the services are left stopped.
 */
final class StartupBench {

    private static final Duration READY_WITHIN = Duration.ofSeconds(180);

    private final LocalRuntime runtime;

    StartupBench(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    /** One start: ready after {@code millis} (at {@code readyAt}, nanoTime), with {@code rssMb} resident. */
    private record Start(long millis, long rssMb, long readyAt) {
    }

    int run(Map<String, String> options) throws Exception {
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        runtime.startInfrastructure();
        runtime.stopServices();
        List<LocalRuntime.Service> all = runtime.services().stream().filter(s -> Files.isRegularFile(s.jar()))
                .toList();
        // one process per service: a further replica would start the same code again
        List<LocalRuntime.Service> services = all.stream().filter(s -> s.name().equals(s.service())).toList();
        List<AotCache.Use> modes = new ArrayList<>(List.of(AotCache.Use.NONE));
        if (AotCache.available()) {
            runtime.train(services, services);
            modes.add(AotCache.Use.MAP);
        } else {
            LocalRuntime.say("this JDK (" + Runtime.version() + ") has no AOT cache (JDK 25+): measuring the plain start only");
        }
        Map<String, List<Start>> alone = new LinkedHashMap<>();
        Map<String, List<Start>> fleet = new LinkedHashMap<>();
        Map<AotCache.Use, List<Long>> fleetReady = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (AotCache.Use mode : modes) {
                for (LocalRuntime.Service service : services) {
                    Start s = startAndStop(List.of(service), services, mode).getFirst();
                    alone.computeIfAbsent(key(service, mode), k -> new ArrayList<>()).add(s);
                    LocalRuntime.say("round " + round + " " + label(mode) + " " + service.name() + " alone: ready in "
                            + s.millis() + " ms, RSS " + s.rssMb() + " MB");
                }
                long begin = System.nanoTime();
                List<Start> starts = startAndStop(services, services, mode);
                long allReady = (starts.stream().mapToLong(Start::readyAt).max().orElse(begin) - begin) / 1_000_000;
                fleetReady.computeIfAbsent(mode, k -> new ArrayList<>()).add(allReady);
                for (int i = 0; i < services.size(); i++) {
                    fleet.computeIfAbsent(key(services.get(i), mode), k -> new ArrayList<>()).add(starts.get(i));
                }
                LocalRuntime.say("round " + round + " " + label(mode) + " whole fleet: all ready in " + allReady + " ms");
            }
        }
        System.out.println();
        System.out.printf("Start to ready and RSS at ready, median of %d rounds, %s, %d cores:%n", rounds,
                "JDK " + Runtime.version(), Runtime.getRuntime().availableProcessors());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-20s |", "service"));
        StringBuilder rule = new StringBuilder("|----------------------|");
        for (AotCache.Use mode : modes) {
            header.append(String.format(Locale.ROOT, " %-22s | %-22s |", label(mode) + ": alone", label(mode) + ": fleet"));
            rule.append("------------------------|------------------------|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (LocalRuntime.Service service : services) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-20s |", service.name()));
            for (AotCache.Use mode : modes) {
                row.append(cell(alone.get(key(service, mode)))).append(cell(fleet.get(key(service, mode))));
            }
            System.out.println(row);
        }
        StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "| %-20s |", "whole fleet ready"));
        for (AotCache.Use mode : modes) {
            total.append(String.format(Locale.ROOT, " %-22s | %-22s |", "", median(fleetReady.get(mode)) + " ms"));
        }
        System.out.println(total);
        System.out.println();
        LocalRuntime.say("the services are stopped; ./platform up starts them again");
        return 0;
    }

    private static String key(LocalRuntime.Service service, AotCache.Use mode) {
        return service.name() + "/" + mode;
    }

    private static String label(AotCache.Use mode) {
        return mode == AotCache.Use.MAP ? "AOT cache" : "plain JVM";
    }

    private static String cell(List<Start> starts) {
        long ms = median(starts.stream().map(Start::millis).toList());
        long rss = median(starts.stream().map(Start::rssMb).toList());
        return String.format(Locale.ROOT, " %-22s |", ms + " ms, " + rss + " MB");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Starts {@code services} together, waits until each is ready, notes each one's time and RSS, stops them. */
    private List<Start> startAndStop(List<LocalRuntime.Service> services, List<LocalRuntime.Service> all,
            AotCache.Use mode) throws Exception {
        long[] begin = new long[services.size()];
        for (int i = 0; i < services.size(); i++) {
            begin[i] = System.nanoTime();
            runtime.startService(services.get(i), all, mode);
        }
        List<Start> out = new ArrayList<>();
        try {
            for (int i = 0; i < services.size(); i++) {
                LocalRuntime.Service service = services.get(i);
                long deadline = begin[i] + READY_WITHIN.toNanos();
                while (!LocalRuntime.ready(service)) {
                    if (System.nanoTime() > deadline || service.running().isEmpty()) {
                        throw new IllegalStateException(service.name() + " did not become ready; see " + service.log());
                    }
                    Thread.sleep(20);
                }
                long readyAt = System.nanoTime();
                long rss = service.running().map(ServerProcess::rssMb).orElseThrow();
                out.add(new Start((readyAt - begin[i]) / 1_000_000, rss, readyAt));
            }
        } finally {
            for (LocalRuntime.Service service : services) {
                service.running().ifPresent(p -> p.stop(Duration.ofSeconds(30)));
            }
        }
        return out;
    }
}
