package io.defensebuilders.registry.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.models.text.TextEmbedding;
import io.defensebuilders.platform.auth.GatewayTokens;
import io.defensebuilders.platform.grpc.OnBehalf;
import io.defensebuilders.platform.sql.Sql;
import io.defensebuilders.registry.config.RegistryConfig;
import io.defensebuilders.registry.repository.SearchRepository.Meaning;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Search by meaning: the SDKs whose metadata means what a query means, found with the inference service's text
 * embedding model (libs/models' {@link TextEmbedding}, a public platform model called over the Open Inference
 * Protocol's gRPC API). {@link SearchRepository} ranks them together with its word matches.
 * <p>
 * <b>Embedding the catalog.</b> A change to what is embedded (name, title, description, tags, categories) or to who
 * may see an SDK marks its row stale (a trigger). Every {@code interval}, a replica claims a batch of stale rows (a
 * short lease, so replicas share the backlog), embeds them in one call and writes each embedding back unless the row
 * changed meanwhile. Publishing never waits for the model: an SDK is found by its words at once and by its meaning
 * once embedded, and a backlog left while the model was away is worked off when it is back.
 * <p>
 * <b>The index.</b> Each replica holds every embedding in memory (1.5 KB per SDK) with the SDK's owner and visibility,
 * reads the rows embedded since it last looked every {@code interval}, and answers a query by comparing its
 * embedding with every SDK the caller may see (exact, no approximate index: a few milliseconds per ten thousand SDKs).
 * The index only proposes candidates: the query that ranks them applies visibility and the filters again, so an
 * index a moment behind shows no SDK it should not.
 * <p>
 * <b>Queries.</b> A query's embedding costs one model call (a few milliseconds), bounded by {@code timeout}; kept per
 * replica, so the next pages of a search and repeated searches ask no model. When the model does not answer, the
 * search answers on words alone and neither searches nor the embedder call the model for {@code cool-down}. The calls are the
 * platform's
 * own (a token the gateway mints for tenant {@value #TENANT} with a platform-admin key), not metered to the searcher.
 * Counted in {@code dbp.registry.search.semantic.calls{purpose,outcome}} (outcomes ok, failed, skipped, timed-out);
 * {@code dbp.registry.search.semantic.indexed}
 * is this replica's index size, {@code dbp.registry.search.semantic.stale} the backlog it last saw.
 */
@ApplicationScoped
public class SemanticSearch {

    /** The tenant the registry calls the model as: the platform's own, the models' owner. */
    static final String TENANT = "platform";
    /** Platform admins' calls are not on a plan: the platform's search is no tenant's inference usage. */
    private static final List<String> ROLES = List.of("platform-admin");
    private static final Logger LOG = Logger.getLogger(SemanticSearch.class);
    /** Rows re-read on each refresh from before the last embedding seen: commits land out of timestamp order. */
    private static final Duration OVERLAP = Duration.ofMinutes(1);

    private record Entry(String tenant, boolean isPublic, float[] vector) {
    }

    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
    private final Pool pool;
    private final RegistryConfig.Semantic config;
    private final GatewayTokens tokens;
    private final MeterRegistry meters;
    private final Map<UUID, Entry> index = new ConcurrentHashMap<>();
    private final Map<String, float[]> queries;
    /** System.nanoTime() until which no query asks the model (compared by difference: nanoTime may be negative). */
    private final AtomicLong quietUntil = new AtomicLong(System.nanoTime());
    private final AtomicLong stale = new AtomicLong();
    private volatile OffsetDateTime watermark;

    public SemanticSearch(@GrpcClient("inference") GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference,
            Pool pool, RegistryConfig config, ObjectMapper json, MeterRegistry meters) {
        this.inference = inference;
        this.pool = pool;
        this.config = config.search().semantic();
        this.tokens = new GatewayTokens(this.config.gatewayApiKey(), this.config.gatewayUrl(), "service:sdk-registry",
                "DBP_REGISTRY_SEARCH_SEMANTIC_GATEWAY_API_KEY", json);
        this.meters = meters;
        int cacheSize = this.config.queryCacheSize();
        this.queries = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > cacheSize;
            }
        });
        Gauge.builder("dbp.registry.search.semantic.indexed", index, Map::size).register(meters);
        Gauge.builder("dbp.registry.search.semantic.stale", stale, AtomicLong::get).register(meters);
    }

    /** Whether searches use meaning: switched on and able to call the model. */
    public boolean enabled() {
        return config.enabled() && tokens.configured();
    }

    /**
     * The SDKs {@code tenant} may see whose meaning is nearest {@code text}'s (at least {@code min-similarity}, at most
     * {@code candidates}, the nearest first); none when the model cannot be asked. Never fails.
     */
    public Uni<List<Meaning>> matches(String text, String tenant) {
        if (!enabled()) {
            return Uni.createFrom().item(List.of());
        }
        String key = meaningful(text);
        if (key.isEmpty() || index.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        float[] known = queries.get(key);
        if (known != null) {
            return Uni.createFrom().item(nearest(known, tenant));
        }
        // the model call is bounded by its deadline; this bounds the whole wait, a token from a slow gateway included
        return Uni.createFrom().item(() -> queryEmbedding(key)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(config.timeout().multipliedBy(2)).recoverWithItem(() -> {
                    count("query", "timed-out");
                    return null;
                })
                .map(v -> v == null ? List.<Meaning> of() : nearest(v, tenant));
    }

    /** The query's embedding, or null when the model is quiet or does not answer (blocks: a worker thread). */
    private float[] queryEmbedding(String key) {
        if (System.nanoTime() - quietUntil.get() < 0) {
            count("query", "skipped");
            return null;
        }
        try {
            float[] v = embed(List.of(key), config.timeout())[0];
            queries.put(key, v);
            count("query", "ok");
            return v;
        } catch (GatewayTokens.UnavailableException | StatusRuntimeException | IllegalStateException e) {
            quietUntil.set(System.nanoTime() + config.coolDown().toNanos());
            count("query", "failed");
            LOG.warnf("the embedding model did not answer a search (%s); searches go by words alone for %s",
                    e.getMessage(), config.coolDown());
            return null;
        }
    }

    List<Meaning> nearest(float[] query, String tenant) {
        List<Meaning> out = new ArrayList<>();
        double min = config.minSimilarity();
        for (Map.Entry<UUID, Entry> e : index.entrySet()) {
            Entry entry = e.getValue();
            if (!entry.isPublic() && !entry.tenant().equals(tenant)) {
                continue;
            }
            double similarity = TextEmbedding.similarity(query, entry.vector());
            if (similarity >= min) {
                // rounded: a query embedded again (another replica, another batch) ranks every page alike
                out.add(new Meaning(e.getKey(), Math.round(similarity * 1e4) / 1e4));
            }
        }
        out.sort((a, b) -> a.similarity() != b.similarity() ? Double.compare(b.similarity(), a.similarity())
                : a.id().compareTo(b.id()));
        return out.size() > config.candidates() ? List.copyOf(out.subList(0, config.candidates())) : out;
    }

    /** Embeds the stale SDKs this replica can claim, then reads every replica's new embeddings into the index. */
    @Scheduled(every = "${dbp.registry.search.semantic.interval:5s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void catchUp() {
        if (!enabled()) {
            return;
        }
        try {
            // keeps the token fresh here, so that a search seldom waits for the gateway to mint one
            tokens.tokenFor(TENANT, ROLES);
            while (System.nanoTime() - quietUntil.get() >= 0 && embedStale() == config.batch()) {
                // a full batch: there may be more
            }
        } catch (GatewayTokens.UnavailableException | StatusRuntimeException | IllegalStateException e) {
            quietUntil.set(System.nanoTime() + config.coolDown().toNanos());
            count("index", "failed");
            LOG.warnf("the embedding model did not answer (%s); stale SDKs wait for it (next try in %s)",
                    e.getMessage(), config.coolDown());
        }
        refresh();
    }

    /** Claims, embeds and writes back one batch; returns how many rows it claimed. */
    int embedStale() {
        Duration lease = config.batchTimeout().multipliedBy(3);
        List<Row> claimed = new ArrayList<>();
        pool.preparedQuery("UPDATE sdk SET embedding_claimed_until = now() + make_interval(secs => $2)"
                + " WHERE id IN (SELECT id FROM sdk WHERE embedding_stale"
                + " AND (embedding_claimed_until IS NULL OR embedding_claimed_until < now())"
                + " ORDER BY updated_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING id, embedding_generation, name, title, description, tags, categories")
                .execute(Tuple.of(config.batch(), lease.toMillis() / 1000.0)).await().atMost(Duration.ofSeconds(30))
                .forEach(claimed::add);
        if (claimed.isEmpty()) {
            return 0;
        }
        List<String> texts = claimed.stream().map(SemanticSearch::text).toList();
        float[][] vectors = embed(texts, config.batchTimeout());
        List<Tuple> writes = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            Float[] boxed = new Float[vectors[i].length];
            for (int d = 0; d < boxed.length; d++) {
                boxed[d] = vectors[i][d];
            }
            writes.add(Sql.tuple(claimed.get(i).getUUID("id"), boxed, claimed.get(i).getLong("embedding_generation")));
        }
        // an edit since the claim bumped the generation: that row stays stale, to be embedded as it now reads
        pool.preparedQuery("UPDATE sdk SET embedding = $2, embedding_stale = false, embedded_at = clock_timestamp(),"
                + " embedding_claimed_until = NULL WHERE id = $1 AND embedding_generation = $3")
                .executeBatch(writes).await().atMost(Duration.ofSeconds(30));
        meters.counter("dbp.registry.search.semantic.calls", "purpose", "index", "outcome", "ok").increment();
        return claimed.size();
    }

    /**
     * {@code text} without identifiers (letters and digits mixed, six characters or more: hashes, serial numbers,
     * build ids), lower-cased, spaces collapsed. The model reads no meaning in an identifier, yet two texts full of
     * them look alike to it (similarity ~0.4, as much as real paraphrases); words and trigrams match identifiers.
     */
    public static String meaningful(String text) {
        return IDENTIFIER.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip().replaceAll("\\s+", " ");
    }

    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern
            .compile("\\b(?=[a-z0-9]*\\d)(?=[a-z0-9]*[a-z])[a-z0-9]{6,}\\b");

    /** What is embedded of an SDK: what a person searching would describe it by (without identifiers). */
    static String text(Row r) {
        StringBuilder text = new StringBuilder(r.getString("name").replace('-', ' ')).append(": ")
                .append(r.getString("title")).append(". ").append(r.getString("description"));
        String[] tags = r.getArrayOfStrings("tags");
        if (tags.length > 0) {
            text.append(" Tags: ").append(String.join(", ", tags)).append('.');
        }
        String[] categories = r.getArrayOfStrings("categories");
        if (categories.length > 0) {
            text.append(" Categories: ").append(String.join(", ", categories)).append('.');
        }
        return meaningful(text.toString());
    }

    /** Reads the embeddings written since the last look (every one on the first) into the index. */
    void refresh() {
        OffsetDateTime since = watermark == null ? null : watermark.minus(OVERLAP);
        OffsetDateTime latest = watermark;
        var rows = pool.preparedQuery("SELECT id, tenant, visibility, embedding, embedded_at FROM sdk"
                + " WHERE embedded_at IS NOT NULL AND ($1::timestamptz IS NULL OR embedded_at > $1)")
                .execute(Tuple.of(since)).await().atMost(Duration.ofSeconds(60));
        for (Row r : rows) {
            Float[] boxed = r.getArrayOfFloats("embedding");
            if (boxed == null || boxed.length != TextEmbedding.DIMENSIONS) {
                continue;
            }
            float[] v = new float[boxed.length];
            for (int d = 0; d < v.length; d++) {
                v[d] = boxed[d];
            }
            index.put(r.getUUID("id"), new Entry(r.getString("tenant"), "public".equals(r.getString("visibility")), v));
            OffsetDateTime at = r.getOffsetDateTime("embedded_at");
            if (latest == null || at.isAfter(latest)) {
                latest = at;
            }
        }
        watermark = latest;
        stale.set(pool.query("SELECT count(*) FROM sdk WHERE embedding_stale").execute().await()
                .atMost(Duration.ofSeconds(30)).iterator().next().getLong(0));
    }

    /** Unit-length embeddings of {@code texts}, in one model call (blocks). */
    float[][] embed(List<String> texts, Duration timeout) {
        String token = tokens.tokenFor(TENANT, ROLES);
        return TextEmbedding.shared().embed(texts, inputs -> {
            ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(config.model());
            for (TextEmbedding.Input in : inputs) {
                request.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(in.name()).setDatatype("INT64")
                        .addAllShape(in.shape())).addRawInputContents(ByteString.copyFrom(in.raw().duplicate()));
            }
            request.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(TextEmbedding.OUTPUT));
            ModelInferResponse response = OnBehalf.of(inference, token, timeout).modelInfer(request.build());
            for (int i = 0; i < response.getOutputsCount() && i < response.getRawOutputContentsCount(); i++) {
                var out = response.getOutputs(i);
                if (out.getName().equals(TextEmbedding.OUTPUT)) {
                    return new TextEmbedding.Output(out.getDatatype(), out.getShapeList(),
                            response.getRawOutputContents(i).asReadOnlyByteBuffer());
                }
            }
            return null;
        });
    }

    private void count(String purpose, String outcome) {
        meters.counter("dbp.registry.search.semantic.calls", "purpose", purpose, "outcome", outcome).increment();
    }
}
