package io.defensebuilders.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a service's AOT cache is used, trained or left alone. Plain JUnit, on the JDK the tests run on. */
class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void onlyACacheTrainedFromThisVeryBuildOnThisJdkIsMapped() throws Exception {
        assumeTrue(AotCache.available(), "a JDK without AOT caches (before 25) never uses one");
        Path jar = Files.writeString(dir.resolve("quarkus-run.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        AotCache cache = new AotCache(jar);
        assertEquals(List.of(), cache.options(AotCache.Use.MAP), "nothing trained yet: start without");
        assertEquals(List.of("-XX:AOTCacheOutput=" + cache.file()), cache.options(AotCache.Use.TRAIN));

        assertFalse(cache.recordTrained(), "a training run that wrote nothing");
        Files.writeString(cache.file(), "cache");
        assertTrue(cache.recordTrained());
        assertTrue(cache.usable());
        assertEquals(List.of("-XX:AOTCache=" + cache.file()), cache.options(AotCache.Use.MAP));
        assertEquals(List.of(), cache.options(AotCache.Use.NONE), "the benchmark's baseline");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertFalse(cache.usable(), "a rebuild after the training");
        assertEquals(List.of(), cache.options(AotCache.Use.MAP));

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.writeString(dir.resolve("dbp.aot.jdk"), "/another/jdk 25.0.1");
        assertFalse(cache.usable(), "trained on another JDK");

        cache.discard();
        assertFalse(Files.exists(cache.file()));
    }
}
