package io.defensebuilders.images.aot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.defensebuilders.testing.fleet.Fleet;

/**
 * bench/image-startup.sh: the whole fleet started from its images' own files (each image unpacked; its entrypoint:
 * its jlinked Java runtime, its application), without its AOT cache ({@code -XX:AOTMode=off}) and with it
 * ({@code -XX:AOTMode=on}), side by side in each round, as a small pod runs it (SerialGC, 384 MB heap). Time: from
 * the first process start until every service answers 200 on {@code /q/health/ready}; RSS: each JVM's
 * {@code VmRSS} then. Medians over the rounds.
 *
 * <pre>
 * ImageStartupBench --registry=HOST:PORT --group=G --tag=T [--rounds=3] --work=DIR
 * </pre>
 */
public final class ImageStartupBench {

    private ImageStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
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
        Map<String, List<Long>> ready = new LinkedHashMap<>();
        Map<String, Map<String, List<Long>>> rss = new LinkedHashMap<>();
        List<String> modes = List.of("off", "on");
        // every fleet of this run shares one database: one key for the gateway's signing keys stored there
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        Map<String, Map<String, String>> env = Map.of("gateway", Map.of("DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY",
                java.util.Base64.getEncoder().encodeToString(kek)));
        for (int round = 1; round <= rounds; round++) {
            for (String mode : modes) {
                long start = System.nanoTime();
                Fleet fleet = Fleet.builder(work, work.resolve("fleet")).env(env)
                        .command(service -> images.get(service).command(List.of("-XX:AOTMode=" + mode,
                                "-XX:+UseSerialGC", "-Xmx384m")))
                        .start();
                long millis = (System.nanoTime() - start) / 1_000_000;
                try {
                    ready.computeIfAbsent(mode, k -> new ArrayList<>()).add(millis);
                    for (Fleet.Service s : fleet.services()) {
                        rss.computeIfAbsent(mode, k -> new LinkedHashMap<>())
                                .computeIfAbsent(s.name(), k -> new ArrayList<>()).add(rssMb(s.process().pid()));
                    }
                } finally {
                    fleet.close();
                }
                System.out.printf("[bench] round %d, AOT cache %s: whole fleet ready in %d ms%n", round, mode, millis);
            }
        }
        System.out.println();
        System.out.printf("Whole fleet from its images, start to all ready, and RSS at ready: median of %d rounds, "
                + "%d cores, %s%n", rounds, Runtime.getRuntime().availableProcessors(),
                images.get("gateway").javaVersion());
        System.out.println("| service              | RSS, no AOT cache      | RSS, AOT cache         |");
        System.out.println("|----------------------|------------------------|------------------------|");
        for (String service : Fleet.SERVICES) {
            System.out.printf(Locale.ROOT, "| %-20s | %-22s | %-22s |%n", service,
                    median(rss.get("off").get(service)) + " MB", median(rss.get("on").get(service)) + " MB");
        }
        System.out.printf(Locale.ROOT, "| %-20s | %-22s | %-22s |%n", "whole fleet ready",
                median(ready.get("off")) + " ms", median(ready.get("on")) + " ms");
        System.out.println("per round, no cache: " + ready.get("off") + " ms; with the cache: " + ready.get("on") + " ms");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
