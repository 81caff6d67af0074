package io.defensebuilders.inference.service;

import java.io.ByteArrayInputStream;
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

    /** A model this build ships. */
    public record Shipped(String name, String version, String description, Supplier<byte[]> onnx) {
    }

    /** What this build ships. */
    public static final List<Shipped> SHIPPED = List.of(new Shipped(ManeuverClassifier.NAME,
            ManeuverClassifier.VERSION, ManeuverClassifier.DESCRIPTION, ManeuverClassifier::onnx));

    private final ModelCatalog catalog;
    private final boolean enabled;
    private final AtomicBoolean done = new AtomicBoolean();

    public PlatformModels(ModelCatalog catalog, InferenceConfig config) {
        this.catalog = catalog;
        this.enabled = config.platformModels().enabled();
    }

    /** Publishes what is missing, once per replica; throws when the catalog cannot be reached (tried again later). */
    public void publish() {
        if (!enabled || done.get()) {
            return;
        }
        for (Shipped model : SHIPPED) {
            publish(model);
        }
        done.set(true);
    }

    private void publish(Shipped model) {
        byte[] onnx = model.onnx().get();
        String sha256 = sha256(onnx);
        ModelVersion v;
        try {
            v = catalog.upload(PUBLISHER, new ModelCatalog.Upload(model.name(), model.version(), model.description(),
                    true, sha256), new ByteArrayInputStream(onnx), onnx.length);
            LOG.infof("published platform model %s %s (%d bytes, sha256 %s)", model.name(), model.version(),
                    onnx.length, sha256);
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

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
