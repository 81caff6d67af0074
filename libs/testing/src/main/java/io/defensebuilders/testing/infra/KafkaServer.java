package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, no ZooKeeper) as its own JVM, from
 * Kafka's jars on Maven Central. One node, replication factor 1.
 */
public final class KafkaServer {

    private final ServerProcess process;
    private final int port;

    private KafkaServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Formats {@code dataDir} on first use and starts the broker on {@code port} (its controller on a second port,
     * remembered in the data directory so a restart finds its quorum again).
     */
    public static KafkaServer start(Path dataDir, int port, int heapMb, boolean detached) {
        Path config = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            Path logs = dataDir.resolve("logs");
            int controllerPort = Files.exists(config) ? controllerPort(config) : Ports.free();
            // nothing listens on port yet, so the kernel may offer it again
            while (controllerPort == port) {
                controllerPort = Ports.free();
            }
            Files.writeString(config, serverProperties(port, controllerPort, logs));
            if (!Files.exists(logs.resolve("meta.properties"))) {
                format(config, dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(javaExecutable(), "-Xms" + Math.min(heapMb, 256) + "m", "-Xmx" + heapMb + "m",
                "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", InfraArtifacts.kafkaBrokerClasspath(),
                "kafka.Kafka", config.toString());
        ServerProcess process = ServerProcess.start("kafka", command,
                dataDir.resolveSibling(dataDir.getFileName() + ".log"), dataDir.resolveSibling("kafka.pid"), Map.of(),
                detached);
        KafkaServer server = new KafkaServer(process, port);
        // wait for the listener before asking the cluster, so the admin client does not retry (and log) for seconds
        Wait.until(process, Duration.ofSeconds(90), () -> Ports.listening("127.0.0.1", port)
                && clusterAnswers(server.bootstrapServers()));
        return server;
    }

    public static Optional<ServerProcess> running(Path dataDir) {
        return ServerProcess.fromPidFile("kafka", dataDir.resolveSibling("kafka.pid"),
                dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    private static String serverProperties(int port, int controllerPort, Path logs) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "log.dirs=" + logs,
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "");
    }

    private static int controllerPort(Path config) throws IOException {
        Properties props = new Properties();
        try (var in = Files.newInputStream(config)) {
            props.load(in);
        }
        String voters = props.getProperty("controller.quorum.voters");
        return Integer.parseInt(voters.substring(voters.lastIndexOf(':') + 1));
    }

    private static void format(Path config, Path dataDir) throws IOException {
        List<String> command = List.of(javaExecutable(), "-Xmx256m", "-cp", InfraArtifacts.kafkaBrokerClasspath(),
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kafka storage format failed for " + dataDir + ":\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    /** The JVM running us: the build already demands Java 21 or newer, and Kafka needs 17. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static boolean clusterAnswers(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(4, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public ServerProcess process() {
        return process;
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
