package io.defensebuilders.orbital.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.inference.v2.GRPCInferenceServiceGrpc;
import io.defensebuilders.contracts.inference.v2.InferTensorContents;
import io.defensebuilders.contracts.inference.v2.ModelInferRequest;
import io.defensebuilders.contracts.inference.v2.ModelInferResponse;
import io.defensebuilders.models.maneuver.ManeuverClassifier;
import io.defensebuilders.orbital.config.OrbitalConfig;
import io.defensebuilders.orbital.maneuvers.ManeuverDetector.Maneuver;
import io.defensebuilders.orbital.maneuvers.ModelOpinion;
import io.defensebuilders.platform.auth.GatewayTokens;
import io.defensebuilders.platform.grpc.OnBehalf;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.Startup;

/**
 * Asks the inference service's maneuver classifier (libs/models' contract, a public platform model) what the maneuvers
 * an ingest found are, in one gRPC ModelInfer call per batch, on the caller's behalf: the uploader's own token, or for
 * element sets from Kafka a token the gateway mints for the event's tenant. The call is metered to that tenant like any
 * inference call.
 * <p>
 * It runs inside the ingest, so it is bounded: {@code dbp.orbital.maneuvers.model.timeout} at most, and after a call
 * that failed, no calls for {@code cool-down}, so a hung or absent inference service costs one timeout, not one per
 * ingest. Every failure leaves the maneuvers without a model opinion (the rule's classification stands), counted in
 * {@code dbp.orbital.maneuver.model.calls{outcome}}.
 */
@ApplicationScoped
@Startup
public class ManeuverModel {

    private static final Logger LOG = Logger.getLogger(ManeuverModel.class);

    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference;
    private final OrbitalConfig.Model config;
    private final GatewayTokens gatewayTokens;
    private final MeterRegistry meters;
    /** System.nanoTime() until which no calls are made (compared by difference: nanoTime may be negative). */
    private final AtomicLong quietUntil = new AtomicLong(System.nanoTime());

    public ManeuverModel(@GrpcClient("inference") GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub inference,
            OrbitalConfig config, ObjectMapper json, MeterRegistry meters) {
        this.inference = inference;
        this.config = config.maneuvers().model();
        this.gatewayTokens = new GatewayTokens(this.config.gatewayApiKey(), this.config.gatewayUrl(), "service:orbital",
                "DBP_ORBITAL_MANEUVERS_MODEL_GATEWAY_API_KEY", json);
        this.meters = meters;
        // every outcome's series from the start, at 0: a rate over it is 0 rather than no data, and an alert on
        // failures sees them rise from 0 (the first failure is an increase)
        for (String outcome : OUTCOMES) {
            count(outcome, 0);
        }
    }

    /**
     * The model's opinion of each maneuver, in order (nulls where there is none), asked for {@code tenant} with
     * {@code callerToken} (null: a gateway-minted token). Blocks: call it off the event loop.
     *
     * @param semiMajorAxesKm each maneuver's mean semi-major axis after the burn, km
     */
    public List<ModelOpinion> classify(List<Maneuver> maneuvers, List<Double> semiMajorAxesKm, String tenant,
            String callerToken) {
        List<ModelOpinion> none = Collections.nCopies(maneuvers.size(), null);
        if (!config.enabled() || maneuvers.isEmpty()) {
            return none;
        }
        if (System.nanoTime() - quietUntil.get() < 0) {
            count("skipped");
            return none;
        }
        String token = callerToken;
        if (token == null) {
            try {
                token = gatewayTokens.tokenFor(tenant, List.of("viewer"));
            } catch (GatewayTokens.UnavailableException e) {
                count("no-token");
                LOG.debugf("maneuvers of tenant %s go without the model's opinion: %s", tenant, e.getMessage());
                return none;
            }
        }
        try {
            ModelInferResponse response = OnBehalf.of(inference, token, config.timeout())
                    .modelInfer(request(maneuvers, semiMajorAxesKm));
            List<ModelOpinion> opinions = opinions(response, maneuvers.size());
            count("ok");
            return opinions;
        } catch (StatusRuntimeException | IllegalStateException e) {
            quietUntil.set(System.nanoTime() + config.coolDown().toNanos());
            count("failed");
            LOG.warnf("the maneuver model did not answer (%s); maneuvers go without its opinion for %s", e.getMessage(),
                    config.coolDown());
            return none;
        }
    }

    private ModelInferRequest request(List<Maneuver> maneuvers, List<Double> semiMajorAxesKm) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < maneuvers.size(); i++) {
            Maneuver m = maneuvers.get(i);
            for (float f : ManeuverClassifier.features(m.regime().name(), semiMajorAxesKm.get(i), m.gapDays(),
                    m.radialMs(), m.inTrackMs(), m.crossTrackMs(), m.deltaSemiMajorAxisKm())) {
                contents.addFp32Contents(f);
            }
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(config.name())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(ManeuverClassifier.INPUT)
                        .setDatatype("FP32").addShape(maneuvers.size())
                        .addShape(ManeuverClassifier.FEATURES.size()).setContents(contents));
        config.version().ifPresent(request::setModelVersion);
        return request.build();
    }

    /** The probabilities back as opinions; anything but the contract's output is the model failing. */
    private List<ModelOpinion> opinions(ModelInferResponse response, int n) {
        int labels = ManeuverClassifier.LABELS.size();
        if (response.getOutputsCount() < 1 || response.getRawOutputContentsCount() < 1
                || !response.getOutputs(0).getShapeList().equals(List.of((long) n, (long) labels))
                || !"FP32".equals(response.getOutputs(0).getDatatype())
                || response.getRawOutputContents(0).size() != n * labels * Float.BYTES) {
            throw new IllegalStateException("model " + config.name() + " answered outside its contract (FP32 [" + n
                    + ", " + labels + "] expected)");
        }
        ByteBuffer raw = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<ModelOpinion> out = new ArrayList<>(n);
        float[] p = new float[labels];
        for (int i = 0; i < n; i++) {
            raw.asFloatBuffer().get(i * labels, p);
            int best = ManeuverClassifier.mostLikely(p);
            out.add(new ModelOpinion(config.name(), response.getModelVersion(), ManeuverClassifier.LABELS.get(best),
                    p[best]));
        }
        return out;
    }

    private static final List<String> OUTCOMES = List.of("ok", "failed", "skipped", "no-token");

    private void count(String outcome) {
        count(outcome, 1);
    }

    private void count(String outcome, double by) {
        meters.counter("dbp.orbital.maneuver.model.calls", "outcome", outcome).increment(by);
    }
}
