package io.defensebuilders.inference.api;

import java.time.Instant;
import java.util.List;

import io.defensebuilders.inference.ModelVersion;
import io.defensebuilders.inference.runtime.Batching;
import io.defensebuilders.inference.runtime.ModelRuntime;
import io.defensebuilders.inference.runtime.TensorSpec;
import io.defensebuilders.inference.service.ModelCatalog;

/** What the model API answers. */
public final class Views {

    private Views() {
    }

    /** A tensor a model takes or gives; -1 in its shape is a dimension the caller chooses. */
    public record TensorView(String name, String datatype, List<Long> shape) {
        static List<TensorView> of(List<TensorSpec> specs) {
            return specs.stream().map(t -> new TensorView(t.name(), t.datatype().name(), t.shape())).toList();
        }
    }

    /** How a version's calls are batched (the service's settings where the upload chose none). */
    public record BatchingView(int maxBatchSize, int maxQueueDelayMicros) {
    }

    /**
     * A version. {@code desired}: whether replicas hold it in memory; {@code state} on the replica that answered:
     * READY, FAILED (with {@code reason}), LOADING (should be held, not yet) or UNLOADED.
     */
    public record VersionView(String version, String sha256, long sizeBytes, List<TensorView> inputs,
            List<TensorView> outputs, BatchingView batching, String desired, String state, String reason,
            String createdBy, Instant createdAt) {

        static VersionView of(ModelVersion v, ModelRuntime runtime) {
            ModelRuntime.Status status = runtime.status(v.id());
            String state = status != null ? status.state().name() : v.loaded() ? "LOADING" : "UNLOADED";
            Batching b = runtime.effective(v.batching());
            return new VersionView(v.version(), v.sha256(), v.sizeBytes(), TensorView.of(v.signature().inputs()),
                    TensorView.of(v.signature().outputs()), new BatchingView(b.maxBatchSize(), b.maxQueueDelayMicros()),
                    v.loaded() ? "loaded" : "unloaded", state, status == null ? null : status.reason(), v.createdBy(),
                    v.createdAt());
        }
    }

    /** A model with its versions, oldest first. */
    public record ModelView(String name, String tenant, String description, String visibility, String defaultVersion,
            List<VersionView> versions) {
    }

    static ModelView of(ModelCatalog.Entry e, ModelRuntime runtime) {
        return new ModelView(e.model().name(), e.model().tenant(), e.model().description(),
                e.model().isPublic() ? "public" : "private", e.model().defaultVersion(),
                e.versions().stream().map(v -> VersionView.of(v, runtime)).toList());
    }

    /** A page of models. */
    public record ModelList(List<ModelView> items) {
    }
}
