package io.defensebuilders.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.defensebuilders.testing.fleet.AotTraining;
import io.defensebuilders.testing.fleet.Fleet;
import io.defensebuilders.testing.infra.KafkaServer;
import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.PostgresServer;
import io.defensebuilders.testing.infra.PrometheusServer;
import io.defensebuilders.testing.infra.RedisServer;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.ServiceKeyFiles;
import io.defensebuilders.testing.infra.ServiceLaunch;
import io.defensebuilders.testing.infra.Supervisor;

/**
 * The no-Docker local runtime behind {@code ./platform}: PostgreSQL, Redis and Kafka as local processes with data
 * that survives restarts, then every built service in JVM mode, each waited on until healthy. On JDK 25+ the first
 * start of a build is a training run that writes each service's {@link AotCache}, which every later start maps.
 *
 * <pre>
 * LocalRuntime up|down|status|reset|log-files|supervise|test-infra --env-file F
 * </pre>
 *
 * {@code up} starts everything detached and exits, so it also starts a small detached JVM, {@code supervise}, that
 * stays: it restarts a service that crashed, with {@link io.defensebuilders.testing.infra.RestartBackoff}
 * (1 s doubling to 30 s, reset after a minute up), logs each restart to {@code logs/supervisor.log} and counts them in
 * {@code run/<service>.restarts}
 * for {@code status}. {@code down} stops the supervisor before the services.
 *
 * State lives in {@code $DBP_STATE_DIR} (default {@code .platform} in the repository). Ports come from
 * {@code DBP_PG_PORT} (5432), {@code DBP_REDIS_PORT} (6379) and {@code DBP_KAFKA_PORT} (9092), and the services'
 * from {@code deploy/local/services.conf}. Where Prometheus is installed (Debian's {@code prometheus} package; or
 * {@code DBP_PROMETHEUS} names the binary, {@code off} for none) it runs too, on {@code DBP_PROMETHEUS_PORT} (9090),
 * with {@code deploy/grafana/prometheus.yml}: every service's metrics and the platform's alerting rules.
 */
public final class LocalRuntime {

    private static final Duration SERVICE_START = Duration.ofSeconds(180);
    /** One client for the readiness polls: each client has its own thread. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path repo;
    private final Path state;
    private final int pgPort = envInt("DBP_PG_PORT", 5432);
    private final int redisPort = envInt("DBP_REDIS_PORT", 6379);
    private final int kafkaPort = envInt("DBP_KAFKA_PORT", 9092);
    private final int prometheusPort = envInt("DBP_PROMETHEUS_PORT", 9090);

    private final LocalIdp idp;

    private LocalRuntime(Path repo, Path state) {
        this.repo = repo;
        this.state = state;
        this.idp = new LocalIdp(repo, state);
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("dbp.repo", ".")).toAbsolutePath().normalize();
        String stateDir = System.getenv("DBP_STATE_DIR");
        Path state = stateDir == null || stateDir.isBlank() ? repo.resolve(".platform") : Path.of(stateDir).toAbsolutePath();
        LocalRuntime runtime = new LocalRuntime(repo, state);
        String command = args.length == 0 ? "status" : args[0];
        int exit = switch (command) {
            case "up" -> runtime.up();
            case "down" -> runtime.down();
            case "status" -> runtime.status();
            case "reset" -> runtime.reset();
            case "log-files" -> runtime.logFiles();
            case "supervise" -> runtime.supervise();
            case "test-infra" -> TestInfra.run(options(args));
            case "startup-bench" -> new StartupBench(runtime).run(options(args));
            default -> {
                System.err.println("unknown command " + command);
                yield 2;
            }
        };
        System.exit(exit);
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    int up() throws Exception {
        startInfrastructure();
        List<Service> services = services();
        List<Service> started = new ArrayList<>();
        List<Service> toStart = new ArrayList<>();
        for (Service service : services) {
            if (!Files.isRegularFile(service.jar())) {
                say(service.name() + ": not built (" + repo.relativize(service.jar()) + " is missing), skipped");
                continue;
            }
            started.add(service);
            if (service.running().isPresent()) {
                say(service.name() + " already running (pid " + service.running().get().pid() + ")");
                continue;
            }
            requireFree(service.name(), service.port(), "deploy/local/services.conf");
            requireFree(service.name() + " (management)", service.managementPort(), "deploy/local/services.conf");
            toStart.add(service);
        }
        train(toStart, services);
        long startedAt = System.nanoTime();
        for (Service service : toStart) {
            say("starting " + service.name() + " on http://localhost:" + service.port()
                    + (new AotCache(service.jar()).usable() && AotCache.available() ? " (AOT cache)" : ""));
            startService(service, services, AotCache.Use.MAP);
        }
        for (Service service : started) {
            waitHealthy(service);
        }
        if (!toStart.isEmpty()) {
            say(toStart.size() + " service(s) ready " + (System.nanoTime() - startedAt) / 1_000_000 + " ms after their start");
        }
        startSupervisor();
        String bootstrapKey = takeNewBootstrapKey();
        System.out.println();
        System.out.println("Defense Builders Platform is up.");
        System.out.printf("  %-16s %s%n", "PostgreSQL", "postgresql://dbp:dbp@127.0.0.1:" + pgPort + "/dbp");
        System.out.printf("  %-16s %s%n", "Redis", "redis://127.0.0.1:" + redisPort);
        System.out.printf("  %-16s %s%n", "Kafka", "127.0.0.1:" + kafkaPort);
        if (PrometheusServer.binary().isPresent()) {
            System.out.printf("  %-16s %s   (every service scraped; the platform's alerts: %s/alerts)%n", "Prometheus",
                    "http://127.0.0.1:" + prometheusPort, "http://127.0.0.1:" + prometheusPort);
        } else {
            System.out.printf("  %-16s %s%n", "Prometheus", "not installed (apt-get install prometheus, then ./platform "
                    + "up again); each service's metrics are at its /q/metrics");
        }
        for (Service service : started) {
            System.out.printf("  %-16s http://localhost:%d   (OpenAPI UI: /q/swagger-ui, gRPC on the same port; health and "
                    + "metrics: http://localhost:%d/q/health, /q/metrics)%n", service.name(), service.port(),
                    service.managementPort());
        }
        System.out.println();
        if (bootstrapKey != null) {
            String line = "=".repeat(100);
            System.out.println(line);
            System.out.println(
                    "BOOTSTRAP API KEY of tenant 'bootstrap' (admin, platform-admin). Shown once; kept for local tools");
            System.out.println("in " + state.resolve("keys/bootstrap-api-key") + " (owner-only):");
            System.out.println();
            System.out.println("  " + bootstrapKey);
            System.out.println(line);
            System.out.println();
        }
        if (LocalIdp.enabled()) {
            String key = Files.readString(state.resolve("keys/bootstrap-api-key")).trim();
            Optional<String> demo = idp.ensureDemo("http://localhost:" + gatewayPort(services), key);
            System.out.printf("  %-16s %s   (realm %s; OIDC discovery: %s/.well-known/openid-configuration)%n",
                    "Keycloak", idp.url(), LocalIdp.REALM, idp.issuer());
            if (demo.isPresent()) {
                String line = "=".repeat(100);
                System.out.println(line);
                System.out.println("DEMO PEOPLE of tenant '" + LocalIdp.DEMO_TENANT + "' (sign in at " + idp.issuer()
                        + "/account). Shown once; kept with the issuer");
                System.out.println("and client ids in " + state.resolve("idp.json") + " (owner-only, local use only):");
                System.out.println();
                System.out.print(demo.get());
                System.out.println(line);
            }
            System.out.println();
        }
        System.out.println("Call the platform through the gateway with an API key:");
        System.out.println("  curl -H \"Authorization: Bearer $(cat " + repo.relativize(state.resolve("keys/bootstrap-api-key"))
                + ")\" http://localhost:8080/api/v1/tenants");
        System.out.println("Every endpoint, in one document: http://localhost:8080/q/swagger-ui");
        return 0;
    }

    /** PostgreSQL, Redis and Kafka, each started unless it runs already. */
    void startInfrastructure() throws Exception {
        Files.createDirectories(state.resolve("logs"));
        say("state directory " + state);
        Optional<ServerProcess> pg = PostgresServer.running(postgresData());
        if (pg.isEmpty()) {
            requireFree("PostgreSQL", pgPort, "DBP_PG_PORT");
            say("starting PostgreSQL on 127.0.0.1:" + pgPort + " (data " + postgresData() + ")");
            PostgresServer server = PostgresServer.start(postgresData(), pgPort, true, true);
            server.createDatabase("dbp");
        } else {
            say("PostgreSQL already running (pid " + pg.get().pid() + ")");
        }
        if (RedisServer.running(data("redis")).isEmpty()) {
            requireFree("Redis", redisPort, "DBP_REDIS_PORT");
            say("starting Redis on 127.0.0.1:" + redisPort);
            RedisServer.start(data("redis"), redisPort, true, true);
        } else {
            say("Redis already running");
        }
        if (KafkaServer.running(data("kafka")).isEmpty()) {
            requireFree("Kafka", kafkaPort, "DBP_KAFKA_PORT");
            say("starting Kafka (KRaft) on 127.0.0.1:" + kafkaPort);
            KafkaServer.start(data("kafka"), kafkaPort, 768, true);
        } else {
            say("Kafka already running");
        }
        Optional<Path> prometheus = PrometheusServer.binary();
        if (prometheus.isPresent() && PrometheusServer.running(data("prometheus")).isEmpty()) {
            requireFree("Prometheus", prometheusPort, "DBP_PROMETHEUS_PORT");
            say("starting Prometheus on http://127.0.0.1:" + prometheusPort + " (deploy/grafana/prometheus.yml)");
            PrometheusServer.start(prometheus.get(), repo.resolve("deploy/grafana/prometheus.yml"), data("prometheus"),
                    prometheusPort, true);
        } else if (prometheus.isPresent()) {
            say("Prometheus already running");
        }
        if (LocalIdp.enabled()) {
            requireFreeUnlessRunning();
            idp.start();
        }
    }

    private void requireFreeUnlessRunning() {
        if (idp.running().isEmpty()) {
            requireFree("Keycloak", idp.port(), "DBP_KEYCLOAK_PORT");
        }
    }

    private static int gatewayPort(List<Service> services) {
        return services.stream().filter(s -> s.name().equals("gateway")).mapToInt(Service::port).findFirst().orElse(8080);
    }

    int down() {
        stopServices();
        idp.stop();
        PrometheusServer.running(data("prometheus")).ifPresent(p -> stop("Prometheus", p));
        KafkaServer.running(data("kafka")).ifPresent(p -> stop("Kafka", p));
        RedisServer.running(data("redis")).ifPresent(p -> stop("Redis", p));
        PostgresServer.running(postgresData()).ifPresent(p -> stop("PostgreSQL", p));
        say("down; data kept in " + state + (postgresData().startsWith(state) ? "" : " and " + postgresData().getParent()));
        return 0;
    }

    /** The supervisor, then every service (the infrastructure keeps running). */
    void stopServices() {
        supervisor().ifPresent(p -> stop("the supervisor", p));
        for (Service service : services().reversed()) {
            service.running().ifPresent(p -> {
                say("stopping " + service.name());
                p.stop(Duration.ofSeconds(30));
            });
        }
    }

    int status() {
        boolean allUp = true;
        allUp &= line("postgres", PostgresServer.running(postgresData()), "127.0.0.1:" + pgPort, true);
        allUp &= line("redis", RedisServer.running(data("redis")), "127.0.0.1:" + redisPort, true);
        allUp &= line("kafka", KafkaServer.running(data("kafka")), "127.0.0.1:" + kafkaPort, true);
        if (PrometheusServer.binary().isPresent()) {
            allUp &= line("prometheus", PrometheusServer.running(data("prometheus")),
                    "http://127.0.0.1:" + prometheusPort, true);
        }
        if (LocalIdp.enabled()) {
            allUp &= line("keycloak", idp.running(), idp.issuer(), true);
        }
        for (Service service : services()) {
            if (!Files.isRegularFile(service.jar())) {
                System.out.printf("%-16s %-10s %s%n", service.name(), "not built", "");
                continue;
            }
            Optional<ServerProcess> p = service.running();
            boolean healthy = p.isPresent() && ready(service);
            int restarts = restarts(service);
            allUp &= line(service.name(), p, "http://localhost:" + service.port()
                    + (restarts > 0 ? "   restarted " + restarts + "x after a crash" : ""), healthy);
        }
        Optional<ServerProcess> supervisor = supervisor();
        System.out.printf("%-16s %-10s %-8s %s%n", "supervisor", supervisor.isPresent() ? "running" : "stopped",
                supervisor.map(x -> Long.toString(x.pid())).orElse(""), "restarts crashed services; log "
                        + state.resolve("logs/supervisor.log"));
        return allUp ? 0 : 3;
    }

    /**
     * The long-running half of {@code up}: watches every service running now and restarts one that exits, with
     * backoff, until SIGTERM ({@code down}).
     */
    int supervise() throws InterruptedException {
        List<Service> all = services();
        Supervisor supervisor = new Supervisor(message -> say(java.time.Instant.now() + " " + message));
        for (Service service : all) {
            if (service.running().isEmpty()) {
                continue;
            }
            supervisor.watch(service.name(), () -> service.running().isPresent(), () -> {
                try {
                    Files.writeString(restartsFile(service), Integer.toString(restarts(service) + 1));
                    startService(service, all, AotCache.Use.MAP);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            say("watching " + service.name());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::close));
        Thread.currentThread().join();
        return 0;
    }

    int reset() throws IOException {
        down();
        say("deleting " + state);
        deleteTree(state);
        if (!postgresData().startsWith(state)) {
            deleteTree(postgresData().getParent());
        }
        return 0;
    }

    int logFiles() {
        System.out.println("postgres " + postgresData().resolveSibling("postgres.log"));
        System.out.println("redis " + data("redis").resolveSibling("redis.log"));
        System.out.println("kafka " + data("kafka").resolveSibling("kafka.log"));
        System.out.println("prometheus " + data("prometheus").resolveSibling("prometheus.log"));
        for (Service service : services()) {
            System.out.println(service.name() + " " + service.log());
        }
        return 0;
    }

    // ---- services ----------------------------------------------------------------------------------------------

    /** One process: {@code service} is the service it runs (itself, or the one it is a further replica of). */
    record Service(String name, String service, int port, int managementPort, Path jar, Path pidFile, Path log) {
        Optional<ServerProcess> running() {
            return ServerProcess.fromPidFile(name, pidFile, log);
        }
    }

    List<Service> services() {
        Path conf = repo.resolve("deploy/local/services.conf");
        List<Service> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(conf)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                String name = parts[0];
                String service = parts.length > 3 ? parts[3] : name;
                out.add(new Service(name, service, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                        repo.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar"),
                        state.resolve("run/" + name + ".pid"), state.resolve("logs/" + name + ".log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + conf, e);
        }
        return out;
    }

    /**
     * The training runs of the services about to start whose jar has no usable {@link AotCache}: each such jar is
     * started once with {@code -XX:AOTCacheOutput}, all together, waited on until ready, asked for what every
     * start and first call touch (OpenAPI document, health, metrics, an unauthenticated API call), and stopped, which
     * writes its cache. Once per build: every later start maps the cache.
     */
    void train(List<Service> toStart, List<Service> all) throws Exception {
        if (!AotCache.available()) {
            return;
        }
        Map<Path, Service> byJar = new LinkedHashMap<>();
        for (Service service : toStart) {
            if (!new AotCache(service.jar()).usable()) {
                byJar.putIfAbsent(service.jar(), service);
            }
        }
        if (byJar.isEmpty()) {
            return;
        }
        List<Service> trainees = List.copyOf(byJar.values());
        say("first start of this build: training the JDK's AOT cache of " + String.join(", ", trainees.stream()
                .map(Service::name).toList()) + " (later starts map it and are ready sooner; DBP_AOT=off skips it)");
        for (Service service : trainees) {
            new AotCache(service.jar()).discard();
            startService(service, all, AotCache.Use.TRAIN);
        }
        for (Service service : trainees) {
            waitHealthy(service);
            AotTraining.exercise(service.service(), service.port(), service.managementPort());
        }
        for (Service service : trainees) {
            service.running().ifPresent(p -> p.stop(Duration.ofSeconds(120)));
            if (!new AotCache(service.jar()).recordTrained()) {
                say(service.name() + ": its training run wrote no AOT cache (see " + service.log() + "); it starts without");
            }
        }
    }

    void startService(Service service, List<Service> all, AotCache.Use aot) throws IOException {
        Files.createDirectories(data(service.name()));
        // every service trusts the gateway's JWKS; the gateway finds every service on its local port
        int gatewayPort = gatewayPort(all);
        // C1 only, as Quarkus' dev mode runs: C2 compiling at start is most of the CPU six JVMs contend for on a
        // laptop's cores (whole fleet ready 13 s instead of 20 s on 2 cores, bench/README.md "Start-up"), and a
        // development platform never reaches the load where C2's code would pay off
        // native access: ONNX Runtime (inference) and Netty load native libraries, which JDK 24+ warns about otherwise.
        // DBP_JIT=c2 keeps C2 (as the images run): for benchmarks that ask what the code costs once compiled
        List<String> jvm = new ArrayList<>(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED"));
        if (!"c2".equalsIgnoreCase(String.valueOf(System.getenv("DBP_JIT")).trim())) {
            jvm.add("-XX:TieredStopAtLevel=1");
        }
        jvm.addAll(new AotCache(service.jar()).options(aot));
        ServiceLaunch launch = ServiceLaunch.of(service.name(), service.jar())
                .ports(service.port(), service.managementPort())
                .database("127.0.0.1", pgPort, "dbp")
                .kafka("127.0.0.1:" + kafkaPort)
                .redis("redis://127.0.0.1:" + redisPort)
                .gateway("http://localhost:" + gatewayPort)
                .jvmOptions(jvm)
                .log(service.log())
                .pidFile(service.pidFile())
                .detached()
                // relative data paths of the services (e.g. data/sdk-registry/blobs) land under the state directory
                .workDir(state);
        // ... and its gRPC (served on the same port): services run in the prod profile, whose gRPC clients default
        // to cluster host names. A service with several replicas: the gateway's route lists them all, gRPC uses the first
        Map<String, List<Service>> replicas = new LinkedHashMap<>();
        all.forEach(s -> replicas.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s));
        replicas.forEach((name, processes) -> launch.peer(name, "localhost",
                processes.stream().map(Service::port).toList(), processes.stream().map(Service::managementPort).toList()));
        if (replicas.get(service.service()).size() > 1) {
            // readiness DOWN while it still serves, so the gateway stops sending calls before it closes connections
            launch.env("QUARKUS_SHUTDOWN_DELAY", Fleet.REPLICA_SHUTDOWN_DELAY);
        }
        // orbital, the environment manager, the registry and ai-tools have the gateway mint tokens with keys of their own
        ServiceKeyFiles.apply(launch, service.service(), ServiceKeyFiles.ensure(state.resolve("keys/services")));
        if (service.service().equals("ai-tools")) {
            launch.env("DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY", secret(state.resolve("keys/ai-tools-integrations-key")));
        }
        if (service.name().equals("gateway")) {
            launch.env("DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY", secret(state.resolve("keys/gateway-signing-kek")));
            launch.env("DBP_GATEWAY_BOOTSTRAP_KEY_FILE", state.resolve("keys/bootstrap-api-key.new").toString());
            if (LocalIdp.enabled()) {
                idp.gatewayProperties().forEach(launch::systemProperty);
            }
        }
        launch.start();
    }

    /**
     * Starts (or starts again, to watch the services running now) the detached supervisor JVM: {@code up} itself
     * exits, and a restart needs someone who stays.
     */
    private void startSupervisor() {
        supervisor().ifPresent(p -> p.stop(Duration.ofSeconds(10)));
        for (Service service : services()) {
            try {
                Files.deleteIfExists(restartsFile(service));
            } catch (IOException ignored) {
                // a stale count only shows in status
            }
        }
        List<String> command = List.of(ServiceLaunch.javaExecutable(), "-Xmx64m", "-XX:+UseSerialGC", "-Ddbp.repo=" + repo,
                "-cp", System.getProperty("java.class.path"), LocalRuntime.class.getName(), "supervise");
        Map<String, String> env = Map.of("DBP_STATE_DIR", state.toString());
        ServerProcess p = ServerProcess.start("supervisor", command, state.resolve("logs/supervisor.log"),
                state.resolve("run/supervisor.pid"), env, true);
        say("supervisor started (pid " + p.pid() + "): crashed services are restarted with backoff; see "
                + state.resolve("logs/supervisor.log"));
    }

    private Optional<ServerProcess> supervisor() {
        return ServerProcess.fromPidFile("supervisor", state.resolve("run/supervisor.pid"),
                state.resolve("logs/supervisor.log"));
    }

    private Path restartsFile(Service service) {
        return state.resolve("run/" + service.name() + ".restarts");
    }

    private int restarts(Service service) {
        try {
            return Integer.parseInt(Files.readString(restartsFile(service)).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void waitHealthy(Service service) throws InterruptedException {
        long deadline = System.nanoTime() + SERVICE_START.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerProcess> p = service.running();
            if (p.isEmpty()) {
                throw new IllegalStateException(service.name() + " exited during startup; see " + service.log());
            }
            if (ready(service)) {
                say(service.name() + " is ready");
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(service.name() + " was not ready after " + SERVICE_START.toSeconds()
                + " s; see " + service.log());
    }

    /** Whether {@code service} answers 200 on its readiness check now. */
    static boolean ready(Service service) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.managementPort() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The bootstrap key the gateway wrote on its first start, if it did so now: moved to keys/bootstrap-api-key
     * (owner-only) for local tools, and returned to be printed this once.
     */
    private String takeNewBootstrapKey() throws IOException {
        Path fresh = state.resolve("keys/bootstrap-api-key.new");
        if (!Files.exists(fresh)) {
            return null;
        }
        Path kept = state.resolve("keys/bootstrap-api-key");
        Files.move(fresh, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return Files.readString(kept).trim();
    }

    /** A random 256-bit key in base64, made on first use and kept owner-only. */
    static String secret(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
        }
        return Files.readString(file).trim();
    }

    // ---- paths, ports, output ----------------------------------------------------------------------------------

    private Path data(String name) {
        return state.resolve("data").resolve(name);
    }

    /**
     * PostgreSQL runs as an unprivileged account when we are root; that account cannot enter a checkout under
     * /root, so root keeps PostgreSQL's data under /var/lib/dbp-platform instead (named after the state directory).
     */
    private Path postgresData() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return data("postgres");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(state.toString().getBytes(StandardCharsets.UTF_8));
            return Path.of("/var/lib/dbp-platform", HexFormat.of().formatHex(hash, 0, 6), "postgres");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireFree(String what, int port, String setting) {
        if (Ports.listening("127.0.0.1", port)) {
            throw new IllegalStateException("port " + port + " for " + what + " is taken by another program; "
                    + "stop it or choose another port with " + setting);
        }
    }

    private static boolean line(String name, Optional<ServerProcess> p, String where, boolean healthy) {
        String state = p.isEmpty() ? "stopped" : healthy ? "running" : "starting";
        System.out.printf("%-16s %-10s %-8s %s%n", name, state, p.map(x -> Long.toString(x.pid())).orElse(""), where);
        return p.isPresent() && healthy;
    }

    private static void stop(String name, ServerProcess p) {
        say("stopping " + name);
        p.stop(Duration.ofSeconds(60));
    }

    static void say(String message) {
        System.out.println("[platform] " + message);
    }

    private static int envInt(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                out.put(args[i].substring(2), args[++i]);
            }
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
