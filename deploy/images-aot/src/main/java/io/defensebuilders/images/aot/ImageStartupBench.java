package io.defensebuilders.images.aot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.defensebuilders.testing.fleet.Fleet;

/**
 * bench/image-startup.sh: each service started from its image's own files (the image unpacked; its entrypoint: its
 * jlinked Java runtime, its application), alone and then all six at once, without its AOT cache
 * ({@code -XX:AOTMode=off}) and with it ({@code -XX:AOTMode=on}), side by side in each round, as a small pod runs it
 * (SerialGC, 384 MB heap). Time: from the (first) process start until it (every service) answers 200 on
 * {@code /q/health/ready}; RSS: the JVM's {@code VmRSS} then. Medians over the rounds.
 *
 * <pre>
 * ImageStartupBench --registry=HOST:PORT --group=G --tag=T [--rounds=3] --work=DIR
 * </pre>
 */
public final class ImageStartupBench {

    private ImageStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = AotImages.options(args);
        String registry = options.get("registry");
        String group = options.getOrDefault("group", "defense-builders");
        String tag = options.get("tag");
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        Path work = Path.of(options.getOrDefault("work", "bench/target/image-startup")).toAbsolutePath();
        Map<String, ImageFiles> images = new LinkedHashMap<>();
        for (String service : Fleet.SERVICES) {
            images.put(service, ImageFiles.pull(registry + "/" + group + "/" + service + ":" + tag,
                    work.resolve("rootfs").resolve(service), false));
        }
        // every fleet of this run shares one database: one key for the gateway's signing keys stored there
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        Map<String, Map<String, String>> env = Map.of("gateway", Map.of("DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY",
                java.util.Base64.getEncoder().encodeToString(kek)));
        List<String> modes = List.of("off", "on");
        // per mode: per service alone, and per service in the fleet: ready ms and RSS; the whole fleet's ready ms
        Map<String, Map<String, List<long[]>>> alone = new LinkedHashMap<>();
        Map<String, Map<String, List<Long>>> fleetRss = new LinkedHashMap<>();
        Map<String, List<Long>> fleetReady = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String mode : modes) {
                for (String service : Fleet.SERVICES) {
                    long start = System.nanoTime();
                    try (Fleet one = builder(work, env, images, mode).only(service).start()) {
                        long millis = (System.nanoTime() - start) / 1_000_000;
                        long rss = one.service(service).process().rssMb();
                        alone.computeIfAbsent(mode, k -> new LinkedHashMap<>())
                                .computeIfAbsent(service, k -> new ArrayList<>()).add(new long[] { millis, rss });
                        System.out.printf("[bench] round %d, AOT cache %s: %s alone ready in %d ms, RSS %d MB%n",
                                round, mode, service, millis, rss);
                    }
                }
                long start = System.nanoTime();
                try (Fleet fleet = builder(work, env, images, mode).start()) {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    fleetReady.computeIfAbsent(mode, k -> new ArrayList<>()).add(millis);
                    for (Fleet.Service s : fleet.services()) {
                        fleetRss.computeIfAbsent(mode, k -> new LinkedHashMap<>())
                                .computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s.process().rssMb());
                    }
                    System.out.printf("[bench] round %d, AOT cache %s: whole fleet ready in %d ms%n", round, mode,
                            millis);
                }
            }
        }
        System.out.println();
        System.out.printf("From the images' files, start to ready and RSS at ready: median of %d rounds, %d cores, "
                + "Java %s, SerialGC, -Xmx384m%n", rounds, Runtime.getRuntime().availableProcessors(),
                images.get("gateway").javaVersion());
        System.out.println("| service              | no cache: alone        | AOT cache: alone       "
                + "| no cache: RSS in fleet | AOT cache: RSS in fleet |");
        System.out.println("|----------------------|------------------------|------------------------"
                + "|------------------------|-------------------------|");
        for (String service : Fleet.SERVICES) {
            System.out.printf(Locale.ROOT, "| %-20s | %-22s | %-22s | %-22s | %-23s |%n", service,
                    cell(alone.get("off").get(service)), cell(alone.get("on").get(service)),
                    median(fleetRss.get("off").get(service)) + " MB", median(fleetRss.get("on").get(service)) + " MB");
        }
        System.out.printf(Locale.ROOT, "| %-20s | %-22s | %-22s | %-22s | %-23s |%n", "whole fleet ready", "", "",
                median(fleetReady.get("off")) + " ms", median(fleetReady.get("on")) + " ms");
        System.out.println("whole fleet per round, no cache: " + fleetReady.get("off") + " ms; with the cache: "
                + fleetReady.get("on") + " ms");
    }

    private static Fleet.Builder builder(Path work, Map<String, Map<String, String>> env,
            Map<String, ImageFiles> images, String mode) {
        return Fleet.builder(work, work.resolve("fleet")).env(env).command(service -> images.get(service)
                .command(List.of("-XX:AOTMode=" + mode, "-XX:+UseSerialGC", "-Xmx384m")));
    }

    private static String cell(List<long[]> starts) {
        return median(starts.stream().map(s -> s[0]).toList()) + " ms, "
                + median(starts.stream().map(s -> s[1]).toList()) + " MB";
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
