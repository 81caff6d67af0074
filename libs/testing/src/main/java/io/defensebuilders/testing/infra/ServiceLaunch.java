package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a service's packaged jar ({@code services/<name>/target/quarkus-app/quarkus-run.jar}) is started as a JVM
 * outside a cluster: its ports, the PostgreSQL, Kafka and Redis it uses, its JVM options and extra settings, made
 * into one command line and environment, started as a {@link ServerProcess}. The local runtime, the fleet of the
 * black-box suites, the gateway's end-to-end tests and the billing bench all start services through it.
 *
 * <pre>
 * ServerProcess billing = ServiceLaunch.of("billing", jar).ports(8083, 9083).database(db).kafka(kafka).redis(redis)
 *         .gateway("http://127.0.0.1:8080").jvmOptions(List.of("-Xmx384m")).log(log).start();
 * ServiceLaunch.awaitReady(billing, 9083, Duration.ofSeconds(180));
 * </pre>
 */
public final class ServiceLaunch {

    /** One client for every readiness poll of this JVM: each client has its own selector thread. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private List<String> jvmOptions = List.of();
    private List<String> javaCommand;
    private Path log;
    private Path pidFile;
    private Path workDir;
    private boolean detached;

    private ServiceLaunch(String name, Path jar) {
        this.name = name;
        this.jar = jar;
        // what every JVM of a service runs with, in a cluster too (the images' entrypoint): Quarkus' log manager,
        // and request targets checked by platform-common's RouteProblems, which encodes what people type
        systemProperties.put("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        systemProperties.put("vertx.disableURIValidation", "true");
    }

    /** The process {@code name} (a service, or a replica of one) running {@code jar}. */
    public static ServiceLaunch of(String name, Path jar) {
        return new ServiceLaunch(name, jar);
    }

    /**
     * The service {@code service} from its packaged jar next to the calling module
     * ({@code ../<service>/target/quarkus-app/quarkus-run.jar}, for a module under services/), for a service's tests
     * that run the real services it calls; fails with what to build when the jar is missing.
     */
    public static ServiceLaunch packaged(String service) {
        Path jar = Path.of("../" + service + "/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build services/" + service + " first "
                    + "(./mvnw install, or ./platform test, build the reactor in order)");
        }
        return new ServiceLaunch(service, jar);
    }

    /** The API port (REST and gRPC) and the management port (health, metrics). */
    public ServiceLaunch ports(int http, int management) {
        env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        return this;
    }

    /** The database, with its login. */
    public ServiceLaunch database(SharedInfra.Database db) {
        database(db.host(), db.port(), db.name());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        return this;
    }

    /** The database, logged in to with the services' default login (dbp/dbp), as the local runtime's is. */
    public ServiceLaunch database(String host, int port, String name) {
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + host + ":" + port + "/" + name);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + host + ":" + port + "/" + name);
        return this;
    }

    /** Kafka's bootstrap servers ({@code host:port}). */
    public ServiceLaunch kafka(String bootstrapServers) {
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        return this;
    }

    /** Redis ({@code redis://host:port}). */
    public ServiceLaunch redis(String url) {
        env.put("QUARKUS_REDIS_HOSTS", url);
        return this;
    }

    /** The gateway whose JWKS the service trusts. */
    public ServiceLaunch gateway(String url) {
        env.put("DBP_GATEWAY_URL", url);
        return this;
    }

    /**
     * Where the service finds {@code service} (its processes on {@code host}: API ports and management ports): the
     * gateway's route lists every replica, a gRPC client (served on the API port) uses the first.
     */
    public ServiceLaunch peer(String service, String host, List<Integer> ports, List<Integer> managementPorts) {
        String key = service.toUpperCase(Locale.ROOT).replace('-', '_');
        env.put(key + "_URL", ports.stream().map(p -> "http://" + host + ":" + p).collect(Collectors.joining(",")));
        env.put(key + "_HEALTH", managementPorts.stream().map(p -> "http://" + host + ":" + p + "/q/health/ready")
                .collect(Collectors.joining(",")));
        env.put(key + "_GRPC_HOST", host);
        env.put(key + "_GRPC_PORT", Integer.toString(ports.getFirst()));
        return this;
    }

    /** An environment variable added to (or overriding) what the launch sets. */
    public ServiceLaunch env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Environment variables added to (or overriding) what the launch sets. */
    public ServiceLaunch env(Map<String, String> extra) {
        env.putAll(extra);
        return this;
    }

    /** A {@code -Dkey=value} on the command line, after the JVM options. */
    public ServiceLaunch systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /** Heap, GC, JIT and AOT cache options, before the system properties. */
    public ServiceLaunch jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /**
     * The whole command instead of this JVM's {@code java} with the options and {@code -jar}: an image's own Java
     * runtime and entrypoint. The environment is the same.
     */
    public ServiceLaunch command(List<String> command) {
        this.javaCommand = List.copyOf(command);
        return this;
    }

    /** The file its output is appended to. */
    public ServiceLaunch log(Path log) {
        this.log = log;
        return this;
    }

    /** Its pid goes there, for a later command ({@code platform down}) to find it. */
    public ServiceLaunch pidFile(Path pidFile) {
        this.pidFile = pidFile;
        return this;
    }

    /** Where relative paths of the service (e.g. data/sdk-registry/blobs) land; null: this JVM's. */
    public ServiceLaunch workDir(Path workDir) {
        this.workDir = workDir;
        return this;
    }

    /** In a session of its own, outliving this JVM (else stopped when this JVM exits). */
    public ServiceLaunch detached() {
        this.detached = true;
        return this;
    }

    /**
     * The command line: this JVM's {@code java}, the JVM options, the system properties (Quarkus' log manager and
     * {@code vertx.disableURIValidation} always), {@code -jar}.
     */
    public List<String> commandLine() {
        if (javaCommand != null) {
            return javaCommand;
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /**
     * The environment: what was set, over what every locally started service gets: no OpenTelemetry export (no trace
     * collector runs outside a cluster) and plain-text logs, readable in the log file.
     */
    public Map<String, String> environment() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        out.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        out.putAll(env);
        return out;
    }

    public ServerProcess start() {
        if (log == null) {
            throw new IllegalStateException("no log file for " + name);
        }
        return ServerProcess.start(name, commandLine(), log, pidFile, environment(), detached, workDir);
    }

    /** The {@code java} this JVM runs: a service runs on the same JDK as whoever starts it. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Waits until {@code process} answers 200 on {@code /q/health/ready} of its management port; fails with the
     * last answer and the tail of its log when it exits or {@code timeout} passes.
     */
    public static void awaitReady(ServerProcess process, int managementPort, Duration timeout) {
        URI probe = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        Wait.until(process, timeout, () -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(r.statusCode() + " " + r.body());
            }
            return true;
        });
    }
}
