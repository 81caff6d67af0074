package io.defensebuilders.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.ServiceLaunch;

/**
 * The billing bench's own billing process: the built quarkus-run.jar started as the local runtime starts a service
 * (its environment; C2 kept, as a deployed service runs, since the bench measures throughput), on its own port, topic
 * and consumer group, with the invoicing job and the dedup purge off; killed with SIGKILL and started again.
 */
final class BillingProcess {

    private static final Duration READY_WITHIN = Duration.ofSeconds(180);
    /** SIGTERM lets it commit its offsets; only a hung JVM gets the SIGKILL after this. */
    private static final Duration GRACEFUL_STOP = Duration.ofMinutes(5);

    private final ServiceLaunch launch;
    private final int port;
    private final HttpClient http;
    private ServerProcess process;

    /** Billing from {@code repo}'s build on {@code port} (management: port + 1000), reading {@code topic} as {@code group}. */
    BillingProcess(Path repo, int port, Infrastructure infra, String gateway, String topic, String group, Path log,
            Path workDir, HttpClient http) {
        this.port = port;
        this.http = http;
        this.launch = ServiceLaunch.of("billing", repo.resolve("services/billing/target/quarkus-app/quarkus-run.jar"))
                .ports(port, managementPort())
                .database("127.0.0.1", infra.pgPort(), "dbp")
                .kafka(infra.kafka())
                .redis("redis://127.0.0.1:" + infra.redisPort())
                .gateway(gateway)
                .jvmOptions(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"))
                .systemProperty("dbp.billing.ingest.topic", topic)
                .systemProperty("dbp.billing.ingest.group-id", group)
                .systemProperty("dbp.billing.ingest.dead-letter-topic", topic + ".dlq")
                .env("DBP_BILLING_INVOICING_EVERY", "off")
                .env("DBP_BILLING_DEDUP_PURGE_EVERY", "off")
                .log(log)
                .workDir(workDir);
    }

    /** The platform's PostgreSQL, Kafka and Redis, where the bench's billing keeps and reads its data. */
    record Infrastructure(int pgPort, String kafka, int redisPort) {
    }

    /** Starts it and waits until it is ready. */
    void start() {
        process = launch.start();
        ServiceLaunch.awaitReady(process, managementPort(), READY_WITHIN);
        say("billing ready (pid " + process.pid() + ")");
    }

    /** SIGKILL, explicitly: no shutdown hook, no offset commit, no flush. */
    void kill() {
        process.kill();
        ended();
    }

    /** SIGTERM, graceful. */
    void stop() {
        process.stop("TERM", GRACEFUL_STOP);
        ended();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Billing's health and metrics: its HTTP port + 1000, as the local runtime's services.conf numbers them. */
    int managementPort() {
        return port + 1000;
    }

    /** Billing's usage counters and batch timer now (they die with the process). */
    Map<String, Object> metrics() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("dbp_billing_usage_") && !line.startsWith("dbp_billing_usage_batch")
                    || line.startsWith("dbp_billing_usage_batch_seconds_count")
                    || line.startsWith("dbp_billing_usage_batch_seconds_sum")
                    || line.startsWith("dbp_billing_usage_batch_seconds_max")) {
                int sp = line.lastIndexOf(' ');
                m.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        say("billing metrics: " + m.entrySet().stream().map(e -> e.getKey().replaceFirst("\\{.*", "") + "=" + e.getValue())
                .toList());
        return m;
    }

    private void ended() {
        say("billing pid " + process.pid() + " ended, exit "
                + process.exitCode().stream().mapToObj(Integer::toString).findFirst().orElse("unknown"));
    }

    private static void say(String s) {
        BillingFault.say(s);
    }
}
