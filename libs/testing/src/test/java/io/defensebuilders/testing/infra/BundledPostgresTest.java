package io.defensebuilders.testing.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/** The Maven Central PostgreSQL build, which machines without a packaged server rely on, really serves SQL. */
class BundledPostgresTest {

    @Test
    void bundledPostgresInitialisesStartsAndSearches() throws Exception {
        Path dir = Files.createTempDirectory("dbp-pg-fallback");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = PostgresServer.bundledBinaries();
        PostgresServer server = PostgresServer.start(bin, dir.resolve("postgres"), Ports.free(), false, false);
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            ResultSet rs = s.executeQuery("SELECT word_similarity('tak servr', 'tak-server') > 0.3");
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
        } finally {
            server.stop();
            Extract.deleteTree(dir);
        }
    }
}
