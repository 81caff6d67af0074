package io.defensebuilders.aitools.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.defensebuilders.aitools.repository.PassageRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the searchable passages current: the platform's own documentation (READMEs, docs/, the chart's README, copied
 * into the jar at build time under {@code corpus/}) at start, when its digest differs from the indexed one (one
 * replica does it, under an advisory lock); an SDK's README whenever a version is published
 * ({@link #indexReadme}, from {@code registry.v1}).
 */
@ApplicationScoped
public class DocsIndex {

    static final String PLATFORM = "platform";
    static final int MAX_CHARS = 1500;
    private static final Logger LOG = Logger.getLogger(DocsIndex.class);
    private static final Duration DB = Duration.ofSeconds(60);
    private static final long LOCK = 0x6462705f646f6373L;
    private final Pool pool;
    private final PassageRepository passages;

    public DocsIndex(Pool pool, PassageRepository passages) {
        this.pool = pool;
        this.passages = passages;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            Map<String, String> corpus = corpus();
            if (corpus.isEmpty()) {
                LOG.warn("no documentation in corpus/: the platform's docs are not searchable");
                return;
            }
            indexPlatformDocs(corpus);
        } catch (RuntimeException | IOException e) {
            LOG.warnf("the platform's docs were not indexed, searching what was indexed before: %s", e.toString());
        }
    }

    /** (Re)indexes the platform docs when they differ from what is indexed; how many passages it wrote (0: current). */
    public int indexPlatformDocs(Map<String, String> corpus) {
        String digest = digest(corpus);
        if (passages.digest(pool, PLATFORM).await().atMost(DB).filter(digest::equals).isPresent()) {
            return 0;
        }
        int[] written = { 0 };
        pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK))
                .chain(() -> passages.digest(tx, PLATFORM)).chain(indexed -> {
                    if (indexed.filter(digest::equals).isPresent()) {
                        return Uni.createFrom().voidItem(); // another replica just did it
                    }
                    Uni<Void> chain = passages.keepOnly(tx, new ArrayList<>(corpus.keySet()));
                    for (Map.Entry<String, String> doc : corpus.entrySet()) {
                        List<Passages.Passage> split = Passages.split(title(doc.getKey()), doc.getValue(), MAX_CHARS);
                        written[0] += split.size();
                        chain = chain.chain(() -> passages.replace(tx, new PassageRepository.Origin(PLATFORM, true, null,
                                null, doc.getKey()), split));
                    }
                    return chain.chain(() -> passages.recordDigest(tx, PLATFORM, digest, Instant.now()));
                })).await().atMost(DB);
        LOG.infof("indexed the platform docs: %d files, %d passages", corpus.size(), written[0]);
        return written[0];
    }

    /** Replaces an SDK's README passages with those of {@code version}'s README (empty: the SDK has none now). */
    public int indexReadme(String tenant, boolean isPublic, String sdk, String version, String readme) {
        List<Passages.Passage> split = readme == null || readme.isBlank() ? List.of()
                : Passages.split(sdk + " " + version, readme, MAX_CHARS);
        pool.withTransaction(tx -> passages.replace(tx, new PassageRepository.Origin(tenant, isPublic, sdk, version,
                "sdk:" + sdk + "@" + version), split)).await().atMost(DB);
        return split.size();
    }

    /** The bundled docs by path (docs/architecture.md...), read from the jar or the class-path directory. */
    static Map<String, String> corpus() throws IOException {
        Map<String, String> docs = new TreeMap<>();
        URL root = DocsIndex.class.getClassLoader().getResource("corpus");
        if (root == null) {
            return docs;
        }
        if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                    if (!entry.isDirectory() && entry.getName().startsWith("corpus/") && entry.getName().endsWith(".md")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            docs.put(entry.getName().substring("corpus/".length()),
                                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } else {
            Path dir;
            try {
                dir = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                    docs.put(dir.relativize(file).toString().replace('\\', '/'), Files.readString(file));
                }
            }
        }
        return docs;
    }

    /** A doc's title for its passages' heading paths: its service or file name. */
    static String title(String path) {
        if (path.equals("README.md")) {
            return "Defense Builders Platform";
        }
        if (path.endsWith("/README.md")) {
            String dir = path.substring(0, path.length() - "/README.md".length());
            return dir.substring(dir.lastIndexOf('/') + 1);
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".md".length());
    }

    private static String digest(Map<String, String> corpus) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            corpus.forEach((path, text) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(text.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            // the passages depend on how they are cut too
            sha.update(("v1:" + MAX_CHARS).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
