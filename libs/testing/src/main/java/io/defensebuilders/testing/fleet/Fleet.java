package io.defensebuilders.testing.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.infra.KafkaServer;
import io.defensebuilders.testing.infra.Ports;
import io.defensebuilders.testing.infra.PostgresServer;
import io.defensebuilders.testing.infra.RedisServer;
import io.defensebuilders.testing.infra.ServerProcess;
import io.defensebuilders.testing.infra.ServiceLaunch;
import io.defensebuilders.testing.infra.SharedInfra;
import io.defensebuilders.testing.infra.Supervisor;
import io.defensebuilders.testing.infra.TempRoot;

/**
 * The whole platform as a user meets it: every service started from its packaged jar
 * ({@code services/<name>/target/quarkus-app/quarkus-run.jar}) on a free port, all against this JVM's PostgreSQL
 * database (each service migrates its own schema), Kafka and Redis from {@link SharedInfra}, trusting one gateway
 * that routes to them. The fuzz and chaos suites run it.
 *
 * <p>
 * {@link Builder#ownInfrastructure()} gives it a PostgreSQL, Redis and Kafka of its own instead, which a test may
 * freeze, kill and restart ({@link #postgres()}, {@link #redis()}, {@link #kafka()}); {@link Builder#supervised()}
 * restarts a service that exited unexpectedly, with {@link io.defensebuilders.testing.infra.RestartBackoff}, as
 * {@code ./platform up} does. The processes stop when the JVM exits (or on {@link #close()}).
 */
public final class Fleet implements AutoCloseable {

    /** Every service, the gateway last: it is the one callers wait for. */
    public static final List<String> SERVICES = List.of("sdk-registry", "billing", "orbital", "analytics",
            "environment-manager", "inference", "ai-tools", "gateway");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    /**
     * How long a replica of a service that has several reports DOWN, still serving, before it stops: four times the
     * gateway's readiness interval (500 ms), so the gateway has left it out of the rotation by then.
     */
    public static final String REPLICA_SHUTDOWN_DELAY = "2s";

    /**
     * One process of a service: its API port and its management port (health, metrics), kept across restarts. The
     * first replica of a service is named after it, the next ones {@code <service>-2}, {@code <service>-3}...
     */
    public static final class Service {
        private final String name;
        private final String service;
        private final int port;
        private final int managementPort;
        /** How it is started, again after a crash or a restart. */
        private final ServiceLaunch launch;
        private volatile ServerProcess process;

        Service(String name, String service, int port, int managementPort, ServiceLaunch launch) {
            this.name = name;
            this.service = service;
            this.port = port;
            this.managementPort = managementPort;
            this.launch = launch;
        }

        public String name() {
            return name;
        }

        /** The service this process is a replica of. */
        public String service() {
            return service;
        }

        public int port() {
            return port;
        }

        public int managementPort() {
            return managementPort;
        }

        /** The running process (a new one after each restart). */
        public ServerProcess process() {
            return process;
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        public URI managementUrl() {
            return URI.create("http://127.0.0.1:" + managementPort);
        }
    }

    /** How to start a fleet: {@link #builder(Path, Path)}. */
    public static final class Builder {
        private final Path repo;
        private final Path work;
        private Map<String, Map<String, String>> extraEnv = Map.of();
        private boolean ownInfrastructure;
        private boolean supervised;
        private final Map<String, Integer> replicas = new LinkedHashMap<>();
        private java.util.function.Function<String, List<String>> command;
        private String only;
        private final java.util.Set<String> without = new java.util.HashSet<>();

        private Builder(Path repo, Path work) {
            this.repo = repo;
            this.work = work;
        }

        /**
         * Per service name, environment variables added to (or overriding) the defaults, e.g. the Kubernetes API
         * server of environment-manager.
         */
        public Builder env(Map<String, Map<String, String>> env) {
            this.extraEnv = env;
            return this;
        }

        /** PostgreSQL, Redis and Kafka of this fleet's own (free ports, data in a temporary directory). */
        public Builder ownInfrastructure() {
            this.ownInfrastructure = true;
            return this;
        }

        /**
         * Runs {@code count} processes of {@code service} (1 by default), each on ports of its own; the gateway's route
         * lists them all and takes them in turn, as it would the pods behind a Kubernetes Service.
         */
        public Builder replicas(String service, int count) {
            if (!SERVICES.contains(service) || count < 1) {
                throw new IllegalArgumentException("no " + count + " replicas of " + service);
            }
            replicas.put(service, count);
            return this;
        }

        /**
         * How each service is started, by service name: the whole command ({@code java ... -jar ...}) instead of this
         * JVM's {@code java} on the service's packaged jar. An image's own Java runtime and application, unpacked,
         * with its JDK AOT cache: deploy/images-aot trains it this way, tests/images runs it.
         */
        public Builder command(java.util.function.Function<String, List<String>> command) {
            this.command = command;
            return this;
        }

        /**
         * Starts {@code service} alone (the others get ports, where nothing listens): how soon one service is
         * ready by itself, as a pod of its own would be (bench/image-startup.sh).
         */
        public Builder only(String service) {
            if (!SERVICES.contains(service)) {
                throw new IllegalArgumentException("no service " + service);
            }
            this.only = service;
            return this;
        }

        /**
         * Leaves {@code services} out (they get ports, where nothing listens; the gateway's routes to them fail as
         * they would with the service down): a suite about other services saves their start on two cores.
         */
        public Builder without(String... services) {
            for (String service : services) {
                if (!SERVICES.contains(service) || service.equals("gateway")) {
                    throw new IllegalArgumentException("cannot leave out " + service);
                }
                without.add(service);
            }
            return this;
        }

        private boolean starts(String service) {
            return (only == null || only.equals(service)) && !without.contains(service);
        }

        /** Restart a service that exits unexpectedly, with backoff. */
        public Builder supervised() {
            this.supervised = true;
            return this;
        }

        public Fleet start() {
            return Fleet.start(this);
        }
    }

    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Path bootstrapKeyFile;
    private final String signingKeyEncryptionKey;
    private InfraServer postgres;
    private InfraServer redis;
    private InfraServer kafka;
    private Supervisor supervisor;

    private Fleet(Path work, String signingKeyEncryptionKey) {
        this.bootstrapKeyFile = work.resolve("bootstrap-api-key");
        this.signingKeyEncryptionKey = signingKeyEncryptionKey;
    }

    public static Builder builder(Path repo, Path work) {
        return new Builder(repo, work);
    }

    /**
     * Starts every service on the shared infrastructure and waits until each is ready.
     *
     * @param repo the repository root (where services/ is)
     * @param work where logs, blobs and the bootstrap key file go
     * @param extraEnv per service name, environment variables added to (or overriding) the defaults
     */
    public static Fleet start(Path repo, Path work, Map<String, Map<String, String>> extraEnv) {
        return builder(repo, work).env(extraEnv).start();
    }

    private static Fleet start(Builder options) {
        Path repo = options.repo;
        Path work = options.work;
        // per process (replica), in start order; the gateway last
        Map<String, String> serviceOf = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Integer> managementPorts = new LinkedHashMap<>();
        for (String name : SERVICES) {
            Path jar = jar(repo, name);
            if (options.command == null && options.starts(name) && !Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package "
                        + "-DskipTests, or ./platform test, which builds the reactor in order)");
            }
            int count = options.replicas.getOrDefault(name, 1);
            for (int i = 1; i <= count; i++) {
                String instance = i == 1 ? name : name + "-" + i;
                serviceOf.put(instance, name);
                ports.put(instance, freePort());
                managementPorts.put(instance, freePort());
            }
        }
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        Fleet fleet = new Fleet(work, Base64.getEncoder().encodeToString(kek));
        try {
            Files.createDirectories(work);
            Files.deleteIfExists(fleet.bootstrapKeyFile);
            for (String instance : serviceOf.keySet()) {
                // one run per log: ServerProcess appends
                Files.deleteIfExists(work.resolve("logs").resolve(instance + ".log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SharedInfra.Database db;
        String kafka;
        String redis;
        if (options.ownInfrastructure) {
            db = fleet.startOwnInfrastructure();
            kafka = "127.0.0.1:" + fleet.kafka.port();
            redis = "redis://127.0.0.1:" + fleet.redis.port();
        } else {
            db = SharedInfra.postgres();
            kafka = SharedInfra.kafka();
            redis = SharedInfra.redis();
        }
        String run = Long.toString(System.nanoTime(), 36);
        for (Map.Entry<String, String> process : serviceOf.entrySet()) {
            String instance = process.getKey();
            String name = process.getValue();
            if (!options.starts(name)) {
                continue;
            }
            ServiceLaunch launch = ServiceLaunch.of(instance, jar(repo, name))
                    .ports(ports.get(instance), managementPorts.get(instance))
                    .database(db)
                    .kafka(kafka)
                    .redis(redis)
                    .gateway("http://127.0.0.1:" + ports.get("gateway"))
                    .log(work.resolve("logs").resolve(instance + ".log"))
                    .workDir(work);
            if (options.command != null) {
                launch.command(options.command.apply(name));
            } else {
                // C1 only: seven JVMs share two cores, and a test run never reaches the code C2 would pay off for
                // native access: ONNX Runtime (inference) and Netty load native libraries
                launch.jvmOptions(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "--enable-native-access=ALL-UNNAMED"));
            }
            // every service finds every other one (REST and gRPC on the same port), as ./platform up does
            for (String other : SERVICES) {
                List<String> replicas = serviceOf.entrySet().stream().filter(e -> e.getValue().equals(other))
                        .map(Map.Entry::getKey).toList();
                launch.peer(other, "127.0.0.1", replicas.stream().map(ports::get).toList(),
                        replicas.stream().map(managementPorts::get).toList());
            }
            // consumer groups of their own on a broker other test JVMs share. Only to the service that has the
            // setting: an unknown MP_MESSAGING_* variable would declare a channel of its own
            switch (name) {
                case "billing" -> launch.env("DBP_BILLING_INGEST_GROUP_ID", "fleet-billing-" + run);
                case "analytics" -> launch.env("DBP_ANALYTICS_INGEST_GROUP_ID", "fleet-analytics-" + run);
                case "orbital" -> launch.env("MP_MESSAGING_INCOMING_ORBITAL_ELEMENTS_GROUP_ID", "fleet-orbital-" + run);
                case "sdk-registry" -> launch.env("REGISTRY_BLOB_PATH", work.resolve("registry-blobs").toString());
                case "inference" -> launch.env("INFERENCE_MODEL_PATH", work.resolve("inference-models").toString());
                // every replica seals and opens tenants' webhook secrets with the same key
                case "ai-tools" -> launch.env("DBP_AI_TOOLS_INTEGRATIONS_SECRET_KEY", fleet.signingKeyEncryptionKey);
                case "gateway" -> {
                    launch.env("DBP_GATEWAY_SIGNING_KEY_ENCRYPTION_KEY", fleet.signingKeyEncryptionKey);
                    launch.env("DBP_GATEWAY_BOOTSTRAP_KEY_FILE", fleet.bootstrapKeyFile.toString());
                }
                default -> {
                }
            }
            if (options.replicas.getOrDefault(name, 1) > 1) {
                // readiness DOWN while it still serves, so the gateway (asking every 500 ms) stops sending calls
                // before the replica closes its connections: a Kubernetes pod's preStop delay
                launch.env("QUARKUS_SHUTDOWN_DELAY", REPLICA_SHUTDOWN_DELAY);
            }
            // the services that have the gateway mint tokens hold keys of their own, as the chart's Secret gives them
            io.defensebuilders.testing.infra.ServiceKeyFiles.apply(launch, name,
                    io.defensebuilders.testing.infra.ServiceKeyFiles.ensure(work.resolve("service-keys")));
            launch.env(options.extraEnv.getOrDefault(name, Map.of()));
            Service service = new Service(instance, name, ports.get(instance), managementPorts.get(instance), launch);
            service.process = launch.start();
            fleet.services.put(instance, service);
        }
        for (Service service : fleet.services.values()) {
            awaitReady(service, START_TIMEOUT);
        }
        if (options.supervised) {
            fleet.supervisor = new Supervisor(message -> System.out.println("[fleet] " + java.time.Instant.now() + " "
                    + message));
            for (Service service : fleet.services.values()) {
                fleet.supervisor.watch(service.name(), () -> service.process().isAlive(),
                        () -> service.process = service.launch.start());
            }
        }
        return fleet;
    }

    /**
     * PostgreSQL (database {@code fleet}, durable), Redis (append-only file) and Kafka on free ports, data under a
     * temporary directory: what survives a SIGKILL in production survives it here.
     */
    private SharedInfra.Database startOwnInfrastructure() {
        Path root = TempRoot.create("dbp-fleet-infra-");
        int pgPort = freePort();
        // durable: with synchronous_commit off, a SIGKILL loses transactions already committed, which a chaos test
        // would then blame on the services
        postgres = new InfraServer("postgres", pgPort,
                () -> PostgresServer.start(root.resolve("postgres"), pgPort, true, false).process());
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                PostgresServer.USER, PostgresServer.PASSWORD); var st = c.createStatement()) {
            st.execute("CREATE DATABASE fleet");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the fleet's database", e);
        }
        int redisPort = freePort();
        redis = new InfraServer("redis", redisPort,
                () -> RedisServer.start(root.resolve("redis"), redisPort, true, false).process());
        int kafkaPort = freePort();
        kafka = new InfraServer("kafka", kafkaPort,
                () -> KafkaServer.start(root.resolve("kafka"), kafkaPort, 512, false).process());
        return new SharedInfra.Database("127.0.0.1", pgPort, "fleet", PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static final java.util.Set<Integer> TAKEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A free port no other part of a fleet of this JVM was given: nothing listens on them until the processes start,
     * so the kernel may offer the same one twice.
     */
    private static int freePort() {
        int port;
        do {
            port = Ports.free();
        } while (!TAKEN.add(port));
        return port;
    }

    private static Path jar(Path repo, String name) {
        return repo.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /**
     * Waits until {@code service} says it is ready: {@code /q/health/ready} on its management port. The one place
     * that knows how readiness is asked.
     */
    public static void awaitReady(Service service, Duration timeout) {
        ServiceLaunch.awaitReady(service.process(), service.managementPort(), timeout);
    }

    /** The fleet's own PostgreSQL; only with {@link Builder#ownInfrastructure()}. */
    public InfraServer postgres() {
        return own(postgres);
    }

    /** The fleet's own Redis; only with {@link Builder#ownInfrastructure()}. */
    public InfraServer redis() {
        return own(redis);
    }

    /** The fleet's own Kafka; only with {@link Builder#ownInfrastructure()}. */
    public InfraServer kafka() {
        return own(kafka);
    }

    private static InfraServer own(InfraServer server) {
        if (server == null) {
            throw new IllegalStateException("this fleet runs on the shared infrastructure: start it with "
                    + "ownInfrastructure() to freeze or kill it");
        }
        return server;
    }

    /** The supervisor that restarts crashed services; only with {@link Builder#supervised()}. */
    public Supervisor supervisor() {
        if (supervisor == null) {
            throw new IllegalStateException("this fleet is not supervised");
        }
        return supervisor;
    }

    /**
     * SIGKILLs {@code name}, as a crash or an OOM kill would; returns once it is gone. A supervised fleet restarts it
     * after the backoff's delay.
     */
    public void kill(String name) {
        service(name).process().kill();
    }

    /** SIGKILLs {@code name} and starts it again at once on the same ports (the supervisor not involved). */
    public void restart(String name) {
        Service service = service(name);
        if (supervisor != null) {
            supervisor.hold(name);
        }
        try {
            service.process().kill();
            service.process = service.launch.start();
        } finally {
            if (supervisor != null) {
                supervisor.release(name);
            }
        }
    }

    /**
     * Stops {@code name} as Kubernetes does in a rolling update (SIGTERM, then SIGKILL after {@code grace}), starts it
     * again on the same ports and waits until it is ready; the supervisor leaves it alone meanwhile. Returns how long
     * the old process took to exit after the SIGTERM.
     */
    public Duration rollingRestart(String name, Duration grace) {
        Service service = service(name);
        if (supervisor != null) {
            supervisor.hold(name);
        }
        try {
            long start = System.nanoTime();
            service.process().stop("TERM", grace);
            Duration exit = Duration.ofNanos(System.nanoTime() - start);
            service.process = service.launch.start();
            awaitReady(service, START_TIMEOUT);
            return exit;
        } finally {
            if (supervisor != null) {
                supervisor.release(name);
            }
        }
    }

    public Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return s;
    }

    public List<Service> services() {
        return new ArrayList<>(services.values());
    }

    /** The gateway's public port: the only one callers use. */
    public int gatewayPort() {
        return service("gateway").port();
    }

    /** The bootstrap API key (tenant {@code bootstrap}, admin and platform-admin) the gateway wrote on first start. */
    public String bootstrapKey() {
        try {
            return Files.readString(bootstrapKeyFile).trim();
        } catch (IOException e) {
            throw new IllegalStateException("the gateway wrote no bootstrap key to " + bootstrapKeyFile
                    + "; last lines of its log:\n" + service("gateway").process().tail(40), e);
        }
    }

    /** The AES key the gateway encrypts its signing keys with: a secret no answer may contain. */
    public String signingKeyEncryptionKey() {
        return signingKeyEncryptionKey;
    }

    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        for (Service s : services().reversed()) {
            s.process().stop(Duration.ofSeconds(10));
        }
        stopInfrastructure();
    }

    /**
     * Services stopped only once every other one has exited: ONNX Runtime frees its native environment in a JVM
     * shutdown hook of its own, which runs alongside Quarkus' graceful shutdown, so a model call still running in
     * the inference service when it is told to stop crashes its JVM (SIGSEGV in libonnxruntime), and a JVM that
     * crashes writes no AOT cache. Its callers (ai-tools' docs embeddings, the registry's search index, orbital's
     * maneuver model) go first.
     */
    static final List<String> STOPPED_LAST = List.of("inference");

    /**
     * Stops every service at once (SIGTERM, SIGKILL after {@code grace}: a JVM writing its AOT cache at exit takes
     * longer than {@link #close()}'s 10 s), those of {@link #STOPPED_LAST} after the others, then the fleet's own
     * infrastructure.
     */
    public void close(Duration grace) {
        if (supervisor != null) {
            supervisor.close();
        }
        List<Service> all = services();
        List<Service> last = all.stream().filter(s -> STOPPED_LAST.contains(s.service())).toList();
        all.removeAll(last);
        if (!stopAtOnce(all, grace) || !stopAtOnce(last, grace)) {
            return;
        }
        stopInfrastructure();
    }

    /** Stops {@code services} in parallel and waits for them; false when interrupted meanwhile. */
    private static boolean stopAtOnce(List<Service> services, Duration grace) {
        List<Thread> stopping = new ArrayList<>();
        for (Service s : services) {
            stopping.add(Thread.ofPlatform().name("stop-" + s.name()).start(() -> s.process().stop(grace)));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void stopInfrastructure() {
        for (InfraServer server : java.util.Arrays.asList(kafka, redis, postgres)) {
            if (server != null) {
                server.stop();
            }
        }
    }
}
