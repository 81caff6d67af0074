package io.defensebuilders.inference.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.contracts.auth.Role;
import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.inference.runtime.Batching;
import io.defensebuilders.models.maneuver.ManeuverClassifier;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.problem.ProblemException;

/**
 * The platform's own models (libs/models, trained in the build and shipped inside this service) in the catalog: each
 * a public model of tenant {@value #TENANT}, every tenant's to call. The first replica to start publishes what is
 * missing (an upload like any other: stored in the blob store, read by ONNX Runtime, catalogued) and makes the
 * shipped version the default; a replica that loses the race finds it published. Retried at every catalog sync
 * until done, so a database that is down at start delays it and nothing else.
 */
@ApplicationScoped
public class PlatformModels {

    /** The tenant platform models belong to. */
    public static final String TENANT = "platform";

    private static final Logger LOG = Logger.getLogger(PlatformModels.class);
    private static final Caller PUBLISHER = new Caller(TENANT, "service:inference",
            Set.of(Role.PLATFORM_ADMIN, Role.ADMIN, Role.PUBLISHER, Role.BUILDER, Role.VIEWER));

    /**
     * The text embedding model, from langchain4j's all-MiniLM-L6-v2 jar (sentence-transformers, Apache-2.0); its
     * callers' contract (tokenizer, pooling) is libs/models' TextEmbedding.
     */
    public static final String EMBEDDING = io.defensebuilders.models.text.TextEmbedding.NAME;
    private static final String EMBEDDING_RESOURCE = "/all-minilm-l6-v2.onnx";

    /** A model this build ships, read from the class path. */
    public record Shipped(String name, String version, String description, Supplier<InputStream> open) {
    }

    /** What this build ships. */
    public static final List<Shipped> SHIPPED = List.of(
            new Shipped(ManeuverClassifier.NAME, ManeuverClassifier.VERSION, ManeuverClassifier.DESCRIPTION,
                    () -> new ByteArrayInputStream(ManeuverClassifier.onnx())),
            new Shipped(EMBEDDING, "1", "Sentence embeddings (sentence-transformers all-MiniLM-L6-v2, 384 dimensions): "
                    + "inputs input_ids, attention_mask and token_type_ids INT64 [n, tokens] from its WordPiece "
                    + "tokenizer (all-minilm-l6-v2-tokenizer.json in the same langchain4j jar), output "
                    + "last_hidden_state FP32 [n, tokens, 384]; an embedding is the attention-masked mean over the "
                    + "tokens, L2-normalized. At most 512 tokens.", () -> resource(EMBEDDING_RESOURCE)));

    private final ModelCatalog catalog;
    private final boolean enabled;
    private final java.util.Optional<List<String>> names;
    private final AtomicBoolean done = new AtomicBoolean();

    public PlatformModels(ModelCatalog catalog, InferenceConfig config) {
        this.catalog = catalog;
        this.enabled = config.platformModels().enabled();
        this.names = config.platformModels().names();
    }

    /** Publishes what is missing, once per replica; throws when the catalog cannot be reached (tried again later). */
    public void publish() {
        if (!enabled || done.get()) {
            return;
        }
        for (Shipped model : SHIPPED) {
            if (names.map(n -> n.contains(model.name())).orElse(true)) {
                publish(model);
            }
        }
        done.set(true);
    }

    private void publish(Shipped model) {
        ModelVersion v;
        try {
            // hashed on its way into the blob store; the platform's own: trusted, and larger than a tenant's upload
            // may be. An existing version is refused before the body is read.
            try (InputStream body = model.open().get()) {
                v = catalog.upload(PUBLISHER, new ModelCatalog.Upload(model.name(), model.version(),
                        model.description(), true, null, Batching.DEFAULT), body, -1, Long.MAX_VALUE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LOG.infof("published platform model %s %s (%d bytes, sha256 %s)", model.name(), model.version(),
                    v.sizeBytes(), v.sha256());
        } catch (ProblemException e) {
            if (e.status() != 409) {
                throw e;
            }
            // published before (by this build or another replica), or another tenant holds the public name
            try {
                v = catalog.resolve(PUBLISHER, model.name(), model.version());
            } catch (ProblemException notFound) {
                if (notFound.status() != 404) {
                    throw notFound;
                }
                LOG.warnf("platform model %s not published: another tenant holds that public name", model.name());
                return;
            }
            if (!v.tenant().equals(TENANT)) {
                LOG.warnf("platform model %s not published: tenant %s holds that public name", model.name(), v.tenant());
                return;
            }
            String sha256 = sha256(model);
            if (!v.sha256().equals(sha256)) {
                LOG.warnf("platform model %s %s in the catalog is not the one this build ships (sha256 %s, not %s): "
                        + "versions are immutable, so a retrained model needs a new version", model.name(),
                        model.version(), v.sha256(), sha256);
            }
        }
        if (!model.version().equals(catalog.get(PUBLISHER, model.name()).model().defaultVersion())) {
            catalog.setDefault(PUBLISHER, model.name(), model.version());
        }
    }

    /** The shipped file's SHA-256, hex. */
    private static String sha256(Shipped model) {
        try (DigestInputStream in = new DigestInputStream(model.open().get(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("platform model " + model.name() + " cannot be read", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = PlatformModels.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path");
        }
        return in;
    }
}
