package io.defensebuilders.testing.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL, Kafka and Redis that the tests of one JVM share. Each is started on first use, on free ports
 * with data under a temporary directory, and stopped and deleted when the JVM exits. When the environment names
 * an external server ({@link #POSTGRES_JDBC_URL_ENV}, {@link #KAFKA_ENV}, {@link #REDIS_ENV}), that server is
 * used instead: this is how {@code platform test} starts the infrastructure once for every module.
 *
 * <p>
 * A Quarkus test JVM loads this class more than once (the test resources' class loader and the application's),
 * so what was started is recorded in system properties, which all class loaders share, under a lock that is an
 * interned string literal, which they share too: a test's own Kafka reader finds the broker the application uses.
 */
public final class SharedInfra {

    /** JDBC URL of an external PostgreSQL's maintenance database; each test JVM creates its own database there. */
    public static final String POSTGRES_JDBC_URL_ENV = "DBP_TEST_POSTGRES_JDBC_URL";
    public static final String POSTGRES_USER_ENV = "DBP_TEST_POSTGRES_USER";
    public static final String POSTGRES_PASSWORD_ENV = "DBP_TEST_POSTGRES_PASSWORD";
    /** bootstrap.servers of an external Kafka. */
    public static final String KAFKA_ENV = "DBP_TEST_KAFKA_BOOTSTRAP_SERVERS";
    /** redis:// URL of an external Redis. */
    public static final String REDIS_ENV = "DBP_TEST_REDIS_URL";
    /** Base URL of an external Keycloak (http://host:port) and its bootstrap administrator's password. */
    public static final String KEYCLOAK_ENV = "DBP_TEST_KEYCLOAK_URL";
    public static final String KEYCLOAK_ADMIN_PASSWORD_ENV = "DBP_TEST_KEYCLOAK_ADMIN_PASSWORD";
    /** The loopback image registry of the test run (host:port), when one runs: images are pushed there and read back. */
    public static final String IMAGE_REGISTRY_ENV = "DBP_TEST_IMAGE_REGISTRY";

    /** A string literal: interned, so the same object for every class loader of the JVM. */
    private static final String LOCK = "io.defensebuilders.testing.infra.SharedInfra.lock";
    private static final String POSTGRES_PROPERTY = "dbp.testing.shared.postgres";
    private static final String KAFKA_PROPERTY = "dbp.testing.shared.kafka";
    private static final String REDIS_PROPERTY = "dbp.testing.shared.redis";
    private static final String KEYCLOAK_PROPERTY = "dbp.testing.shared.keycloak";

    private static Path root;

    private SharedInfra() {
    }

    /** Where a test JVM's database lives and how to log in. */
    public record Database(String host, int port, String name, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }

        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + name;
        }

        String encode() {
            return String.join("\n", host, Integer.toString(port), name, user, password);
        }

        static Database decode(String encoded) {
            String[] p = encoded.split("\n", -1);
            return new Database(p[0], Integer.parseInt(p[1]), p[2], p[3], p[4]);
        }
    }

    /** This JVM's own database, created on first call. */
    public static Database postgres() {
        synchronized (LOCK) {
            String known = System.getProperty(POSTGRES_PROPERTY);
            if (known != null) {
                return Database.decode(known);
            }
            Database database;
            String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String external = System.getenv(POSTGRES_JDBC_URL_ENV);
            if (external != null && !external.isBlank()) {
                String user = envOr(POSTGRES_USER_ENV, PostgresServer.USER);
                String password = envOr(POSTGRES_PASSWORD_ENV, PostgresServer.PASSWORD);
                PostgresServer.createDatabase(external, user, password, name);
                var hostPort = java.net.URI.create(external.substring("jdbc:".length()));
                database = new Database(hostPort.getHost(), hostPort.getPort(), name, user, password);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(external, user, password, name)));
            } else {
                PostgresServer server = PostgresServer.start(root().resolve("postgres"), Ports.free(), false, false);
                server.createDatabase(name);
                database = new Database("127.0.0.1", server.port(), name, PostgresServer.USER, PostgresServer.PASSWORD);
            }
            System.setProperty(POSTGRES_PROPERTY, database.encode());
            return database;
        }
    }

    /** bootstrap.servers of this JVM's Kafka. */
    public static String kafka() {
        synchronized (LOCK) {
            String kafka = System.getProperty(KAFKA_PROPERTY);
            if (kafka == null) {
                String external = System.getenv(KAFKA_ENV);
                kafka = external != null && !external.isBlank() ? external
                        : KafkaServer.start(root().resolve("kafka"), Ports.free(), 512, false).bootstrapServers();
                System.setProperty(KAFKA_PROPERTY, kafka);
            }
            return kafka;
        }
    }

    /** redis:// URL of this JVM's Redis. */
    public static String redis() {
        synchronized (LOCK) {
            String redis = System.getProperty(REDIS_PROPERTY);
            if (redis == null) {
                String external = System.getenv(REDIS_ENV);
                redis = external != null && !external.isBlank() ? external
                        : RedisServer.start(root().resolve("redis"), Ports.free(), false, false).url();
                System.setProperty(REDIS_PROPERTY, redis);
            }
            return redis;
        }
    }

    /**
     * This JVM's Keycloak (started on first call, 10-30 s), or the run's ({@link #KEYCLOAK_ENV}, waited for until it
     * serves). Tests create the realms they need, each under a name of its own.
     */
    public static KeycloakServer keycloak() {
        synchronized (LOCK) {
            String known = System.getProperty(KEYCLOAK_PROPERTY);
            if (known == null) {
                String external = System.getenv(KEYCLOAK_ENV);
                if (external != null && !external.isBlank()) {
                    // the run's Keycloak may still be starting: platform test does not wait for it before the build
                    KeycloakServer.external(external, System.getenv(KEYCLOAK_ADMIN_PASSWORD_ENV))
                            .awaitServing(java.time.Duration.ofMinutes(4));
                    known = external + "\n" + System.getenv(KEYCLOAK_ADMIN_PASSWORD_ENV);
                } else {
                    KeycloakServer started = KeycloakServer.start(root().resolve("keycloak"), Ports.free(), Ports.free(),
                            false);
                    known = started.url() + "\n" + started.adminPassword();
                }
                System.setProperty(KEYCLOAK_PROPERTY, known);
            }
            String[] parts = known.split("\n", 2);
            return KeycloakServer.external(parts[0], parts[1]);
        }
    }

    private static Path root() {
        if (root == null) {
            root = TempRoot.create("dbp-test-infra-");
        }
        return root;
    }

    private static void dropDatabase(String adminUrl, String user, String password, String name) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            System.err.println("[dbp-testing] could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

}
