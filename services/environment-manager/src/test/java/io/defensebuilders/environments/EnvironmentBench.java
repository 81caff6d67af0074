package io.defensebuilders.environments;

import static io.defensebuilders.environments.Cluster.environment;
import static io.defensebuilders.environments.Cluster.sdk;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.defensebuilders.environments.operator.Labels;
import io.defensebuilders.testing.quarkus.TestClient;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * bench/environment-manager.sh: creates N environments (one SDK each) on the mock API server, plays the kubelet
 * (marks each SDK Deployment available as soon as it exists), and reports time to Ready and heap. Not a test: runs
 * only with -Dbench.environments=N.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = ClusterSetup.class)
@EnabledIfSystemProperty(named = "bench.environments", matches = "\\d+")
class EnvironmentBench {

    @Inject
    KubernetesClient client;

    @Test
    void reconcileMany() throws Exception {
        int n = Integer.getInteger("bench.environments");
        String run = TestClient.unique("b");
        Map<String, Long> created = new ConcurrentHashMap<>();
        Map<String, Long> ready = new ConcurrentHashMap<>();
        Set<String> marked = ConcurrentHashMap.newKeySet();
        long heapBefore = usedHeapAfterGc();

        Thread kubelet = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (Deployment d : client.apps().deployments().inAnyNamespace()
                        .withLabel(Labels.SDK).list().getItems()) {
                    String key = d.getMetadata().getNamespace();
                    if (key.startsWith("env-" + run) && marked.add(key)) {
                        client.apps().deployments().inNamespace(key).resource(d).editStatus(x -> {
                            x.setStatus(new DeploymentStatusBuilder().withReplicas(1).withAvailableReplicas(1).build());
                            return x;
                        });
                    }
                }
                sleep(100);
            }
        });

        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = run + "-" + i;
            created.put(name, System.nanoTime());
            client.resource(environment(name, "bench", sdk("foundry-cli", null))).create();
        }
        long allCreated = System.nanoTime();
        while (ready.size() < n && System.nanoTime() - start < 900_000_000_000L) {
            for (Environment env : client.resources(Environment.class).list().getItems()) {
                String name = env.getMetadata().getName();
                if (name.startsWith(run) && env.getStatus() != null && env.getStatus().is(Phase.Ready)) {
                    ready.putIfAbsent(name, System.nanoTime());
                }
            }
            sleep(100);
        }
        long end = System.nanoTime();
        kubelet.interrupt();
        long heapAfter = usedHeapAfterGc();

        List<Long> latencies = new ArrayList<>();
        ready.forEach((name, t) -> latencies.add((t - created.get(name)) / 1_000_000));
        Collections.sort(latencies);
        System.out.printf("BENCH environments=%d ready=%d%n", n, ready.size());
        System.out.printf("BENCH create-all-ms=%d all-ready-ms=%d%n", (allCreated - start) / 1_000_000,
                (end - start) / 1_000_000);
        System.out.printf("BENCH time-to-ready-ms p50=%d p90=%d p99=%d max=%d%n", pct(latencies, 50),
                pct(latencies, 90), pct(latencies, 99), latencies.isEmpty() ? -1 : latencies.getLast());
        System.out.printf("BENCH heap-used-after-gc-mb before=%d after=%d rss-mb=%d%n", heapBefore >> 20,
                heapAfter >> 20, rssKb() >> 10);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long usedHeapAfterGc() {
        System.gc();
        sleep(500);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }

    // the bench's clock: the kubelet and the ready-sampler tick every 100 ms, measuring, not waiting on a condition
    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
