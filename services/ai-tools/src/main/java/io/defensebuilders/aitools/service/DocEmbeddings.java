package io.defensebuilders.aitools.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.models.text.TextEmbedding;
import io.defensebuilders.platform.auth.GatewayTokens;
import io.defensebuilders.platform.grpc.OnBehalf;
import io.defensebuilders.platform.sql.Sql;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * "Ask the docs" by meaning: every passage embedded by the inference service's text embedding model (libs/models'
 * {@link TextEmbedding}, all-MiniLM-L6-v2, a public platform model called over the Open Inference Protocol's gRPC
 * {@code ModelInfer}), and the passages nearest a question's embedding among those its tenant may see.
 * <p>
 * <b>Embedding.</b> An embedding is kept by the digest of the text embedded (heading and body), so passages written
 * again with the same text ask the model nothing. Every {@code interval} the replica holding the embedder's lease (one
 * at a time; taken over when it lapses) embeds a batch of passages that have none, in one call, until none is left.
 * Indexing never waits for the model: a passage is found by its words at once, and by its meaning once embedded.
 * <p>
 * <b>The index.</b> Each replica holds every passage's embedding in memory (1.5 KB per distinct text) with its scope and
 * visibility, and reloads it whenever the passages or embeddings changed (their count and newest id or embedding). A
 * question's embedding is compared with every passage its tenant may see: exact, a few milliseconds per ten thousand.
 * <p>
 * <b>When the model does not answer</b> (or the gateway cannot mint the platform's token), a question is answered by
 * words alone and neither questions nor the embedder call the model for {@code cool-down}. The calls are the
 * platform's own (tenant {@value #TENANT}, platform-admin, minted with ai-tools' gateway key), not metered to the asker.
 * Counted in {@code dbp.ai_tools.docs.embedding.calls{purpose,outcome}}; {@code dbp.ai_tools.docs.embedded} is this
 * replica's index size, {@code dbp.ai_tools.docs.unembedded} the texts still waiting for the model.
 */
@ApplicationScoped
public class DocEmbeddings {

    /** The tenant ai-tools calls the model as: the platform's own, the models' owner. */
    static final String TENANT = "platform";
    private static final String ROLE = "platform-admin";
    private static final Logger LOG = Logger.getLogger(DocEmbeddings.class);
    private static final Duration DB = Duration.ofSeconds(30);

    /** A passage near a question, by the cosine similarity of their embeddings. */
    public record Near(long id, double similarity) {
    }

    private record Entry(long id, String scope, boolean isPublic, float[] vector) {
    }

    /** What the index was loaded from: a change in any of these reloads it. */
    private record Signature(long passages, long newestPassage, long embeddings, String newestEmbedding) {
    }

    private record Index(Signature signature, List<Entry> entries) {
    }

    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
    private final Pool pool;
    private final AiToolsConfig.Embeddings config;
    private final TenantTokens tokens;
    private final MeterRegistry meters;
    private final String holder = "ai-tools-" + UUID.randomUUID();
    private final Map<String, float[]> questions;
    /** System.nanoTime() until which nothing asks the model (compared by difference: nanoTime may be negative). */
    private final AtomicLong quietUntil = new AtomicLong(System.nanoTime());
    private final AtomicLong unembedded = new AtomicLong();
    private volatile Index index = new Index(null, List.of());

    public DocEmbeddings(@GrpcClient("inference") GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference,
            Pool pool, AiToolsConfig config, TenantTokens tokens, MeterRegistry meters) {
        this.inference = inference;
        this.pool = pool;
        this.config = config.docs().embeddings();
        this.tokens = tokens;
        this.meters = meters;
        int cacheSize = this.config.queryCacheSize();
        this.questions = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > cacheSize;
            }
        });
        Gauge.builder("dbp.ai_tools.docs.embedded", this, e -> e.index.entries().size()).register(meters);
        Gauge.builder("dbp.ai_tools.docs.unembedded", unembedded, AtomicLong::get).register(meters);
    }

    /** Whether questions use meaning: switched on and able to call the model. */
    public boolean enabled() {
        return config.enabled() && tokens.configured();
    }

    /** Passages this replica can compare a question with (0 until the first embeddings are read). */
    public int indexed() {
        return index.entries().size();
    }

    /** Distinct passage texts that have no embedding yet, when this replica last looked. */
    public long unembedded() {
        return unembedded.get();
    }

    /**
     * The passages {@code tenant} may see whose meaning is nearest {@code question}'s (at least {@code min-similarity},
     * at most {@code limit}, the nearest first); null when the model could not be asked or nothing is embedded yet
     * (answer by words). Blocks, at most {@code timeout} plus a token from the gateway.
     */
    public List<Near> nearest(String question, String tenant, int limit) {
        if (!enabled() || index.entries().isEmpty()) {
            return null;
        }
        String key = question.strip().replaceAll("\\s+", " ");
        float[] q = questions.get(key);
        if (q == null) {
            if (System.nanoTime() - quietUntil.get() < 0) {
                count("question", "skipped");
                return null;
            }
            try {
                q = embed(List.of(key), config.timeout())[0];
                questions.put(key, q);
                count("question", "ok");
            } catch (GatewayTokens.UnavailableException | StatusRuntimeException | IllegalStateException e) {
                quiet("question", e);
                return null;
            }
        }
        List<Near> out = new ArrayList<>();
        for (Entry e : index.entries()) {
            if (e.isPublic() || e.scope().equals(tenant)) {
                double similarity = TextEmbedding.similarity(q, e.vector());
                if (similarity >= config.minSimilarity()) {
                    out.add(new Near(e.id(), similarity));
                }
            }
        }
        out.sort((a, b) -> a.similarity() != b.similarity() ? Double.compare(b.similarity(), a.similarity())
                : Long.compare(a.id(), b.id()));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** Embeds what has no embedding (when this replica holds the lease), then reloads the index if anything changed. */
    @Scheduled(every = "${dbp.ai-tools.docs.embeddings.interval:5s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void catchUp() {
        if (!enabled()) {
            return;
        }
        try {
            while (System.nanoTime() - quietUntil.get() >= 0 && lease() && embedBatch() == config.batch()) {
                // a full batch: there may be more
            }
        } catch (GatewayTokens.UnavailableException | StatusRuntimeException | IllegalStateException e) {
            quiet("index", e);
        } catch (RuntimeException e) {
            LOG.warnf("passages were not embedded this round: %s", e.toString());
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("the docs' embeddings were not reloaded this round: %s", e.toString());
        }
    }

    /** Takes or renews the embedder's lease; whether this replica holds it. */
    private boolean lease() {
        Duration hold = config.batchTimeout().multipliedBy(2);
        return pool.preparedQuery("INSERT INTO doc_embedding_lease (name, holder, until) VALUES ('embedder', $1,"
                + " now() + make_interval(secs => $2)) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                + " until = excluded.until WHERE doc_embedding_lease.holder = excluded.holder"
                + " OR doc_embedding_lease.until < now() RETURNING holder")
                .execute(Tuple.of(holder, hold.toMillis() / 1000.0)).await().atMost(DB).size() == 1;
    }

    /** Embeds one batch of texts that have no embedding; how many it embedded. */
    int embedBatch() {
        List<Row> todo = new ArrayList<>();
        pool.preparedQuery("SELECT DISTINCT ON (p.digest) p.digest, p.heading, p.body FROM doc_passage p"
                + " WHERE NOT EXISTS (SELECT 1 FROM doc_embedding e WHERE e.model = $1 AND e.digest = p.digest)"
                + " ORDER BY p.digest LIMIT $2").execute(Tuple.of(config.model(), config.batch())).await().atMost(DB)
                .forEach(todo::add);
        if (todo.isEmpty()) {
            return 0;
        }
        float[][] vectors = embed(todo.stream().map(DocEmbeddings::text).toList(), config.batchTimeout());
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            Float[] boxed = new Float[vectors[i].length];
            for (int d = 0; d < boxed.length; d++) {
                boxed[d] = vectors[i][d];
            }
            rows.add(Sql.tuple(config.model(), todo.get(i).getString("digest"), boxed));
        }
        pool.preparedQuery("INSERT INTO doc_embedding (model, digest, embedding) VALUES ($1, $2, $3)"
                + " ON CONFLICT (model, digest) DO NOTHING").executeBatch(rows).await().atMost(DB);
        count("index", "ok");
        return todo.size();
    }

    /** What is embedded of a passage: its heading path and body (the model reads the first 256 tokens). */
    static String text(Row r) {
        return r.getString("heading").replace(" > ", ": ") + ". " + r.getString("body");
    }

    /** Reloads the index when the passages or their embeddings changed since it was loaded. */
    void refresh() {
        Row now = pool.preparedQuery("SELECT (SELECT count(*) FROM doc_passage) AS passages,"
                + " (SELECT coalesce(max(id), 0) FROM doc_passage) AS newest,"
                + " (SELECT count(*) FROM doc_embedding WHERE model = $1) AS embeddings,"
                + " (SELECT max(embedded_at)::text FROM doc_embedding WHERE model = $1) AS embedded,"
                + " (SELECT count(DISTINCT digest) FROM doc_passage p WHERE NOT EXISTS (SELECT 1 FROM doc_embedding e"
                + " WHERE e.model = $1 AND e.digest = p.digest)) AS unembedded").execute(Tuple.of(config.model()))
                .await().atMost(DB).iterator().next();
        unembedded.set(now.getLong("unembedded"));
        Signature signature = new Signature(now.getLong("passages"), now.getLong("newest"), now.getLong("embeddings"),
                now.getString("embedded"));
        if (signature.equals(index.signature())) {
            return;
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, float[]> byDigest = new HashMap<>();
        for (Row r : pool.preparedQuery("SELECT p.id, p.scope, p.public, p.digest, e.embedding FROM doc_passage p"
                + " JOIN doc_embedding e ON e.model = $1 AND e.digest = p.digest").execute(Tuple.of(config.model()))
                .await().atMost(Duration.ofSeconds(60))) {
            float[] v = byDigest.computeIfAbsent(r.getString("digest"), d -> vector(r.getArrayOfFloats("embedding")));
            if (v != null) {
                entries.add(new Entry(r.getLong("id"), r.getString("scope"), r.getBoolean("public"), v));
            }
        }
        index = new Index(signature, List.copyOf(entries));
    }

    private static float[] vector(Float[] boxed) {
        if (boxed == null || boxed.length != TextEmbedding.DIMENSIONS) {
            return null;
        }
        float[] v = new float[boxed.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = boxed[d];
        }
        return v;
    }

    /** Unit-length embeddings of {@code texts}, in one model call, as the platform (blocks). */
    float[][] embed(List<String> texts, Duration timeout) {
        String token = tokens.tokenFor(TENANT, ROLE);
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

    private void quiet(String purpose, RuntimeException e) {
        quietUntil.set(System.nanoTime() + config.coolDown().toNanos());
        count(purpose, "failed");
        LOG.warnf("the embedding model did not answer (%s); questions go by words alone for %s", e.getMessage(),
                config.coolDown());
    }

    private void count(String purpose, String outcome) {
        meters.counter("dbp.ai_tools.docs.embedding.calls", "purpose", purpose, "outcome", outcome).increment();
    }
}
