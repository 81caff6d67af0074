package io.defensebuilders.inference.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The model versions this replica holds in memory, each an ONNX Runtime session, and the calls they run. A session
 * runs several calls at once; each version admits {@code max-concurrency} of them and queues up to {@code max-queue}
 * more (429 beyond), each waiting at most {@code queue-timeout} (503). A version whose every tensor has a dynamic
 * first dimension merges concurrent calls into one run ({@link Batcher}) under the same admission.
 */
@ApplicationScoped
public class ModelRuntime {

    private static final Logger LOG = Logger.getLogger(ModelRuntime.class);

    /** Where a version stands on this replica. */
    public enum State {
        READY,
        FAILED
    }

    /** A version's standing here: ready, or failed with the reason. */
    public record Status(State state, String reason) {
    }

    /** One output tensor of a call, with its shape and datatype. */
    public record Output(String name, Datatype datatype, long[] shape, OnnxTensor tensor) {
    }

    /** A version held here; {@code batcher} is null when its calls run one by one. */
    private record Loaded(OrtSession session, Signature signature, Semaphore running, AtomicInteger waiting,
            Batcher batcher) {
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<UUID, Loaded> loaded = new ConcurrentHashMap<>();
    private final Map<UUID, String> failed = new ConcurrentHashMap<>();
    private final InferenceConfig.Runtime config;
    private final Counter runs;
    private final DistributionSummary batchRows;

    public ModelRuntime(InferenceConfig config, MeterRegistry meters) {
        this.config = config.runtime();
        Gauge.builder("dbp.inference.models.loaded", loaded, Map::size)
                .description("model versions held in memory by this replica").register(meters);
        // calls against runs shows what batching saves; no version tag: versions are unbounded
        this.runs = Counter.builder("dbp.inference.session.runs")
                .description("ONNX Runtime session runs: one per call, or one per batch of calls").register(meters);
        this.batchRows = DistributionSummary.builder("dbp.inference.batch.rows").baseUnit("rows")
                .description("rows (the calls' first dimensions summed) of each run of a batching model version")
                .register(meters);
    }

    /**
     * A model file ONNX Runtime has opened, not serving yet: an upload reads its {@link #signature} before the version
     * is catalogued, then hands it to {@link #adopt} (so a large model is read and optimized once, not twice) or closes
     * it. Closing an adopted one does nothing.
     */
    public final class Opened implements AutoCloseable {
        private final OrtSession session;
        private final Signature signature;
        private boolean adopted;

        private Opened(OrtSession session) throws OrtException {
            this.session = session;
            this.signature = ModelRuntime.signature(session);
        }

        public Signature signature() {
            return signature;
        }

        @Override
        public synchronized void close() {
            if (!adopted) {
                adopted = true;
                try {
                    session.close();
                } catch (OrtException e) {
                    LOG.warnf("closing an inspected model: %s", e.getMessage());
                }
            }
        }

        private synchronized OrtSession take() {
            if (adopted) {
                throw new IllegalStateException("this model was adopted or closed already");
            }
            adopted = true;
            return session;
        }
    }

    /**
     * Opens a model file: the check an upload passes before it is catalogued.
     *
     * @throws ProblemException 400 when ONNX Runtime cannot load the file
     */
    public Opened open(byte[] model) {
        try (OrtSession.SessionOptions options = options()) {
            OrtSession session = env.createSession(model, options);
            try {
                return new Opened(session);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw ProblemException.badRequest("not a model ONNX Runtime can load: " + e.getMessage());
        }
    }

    /**
     * Serves {@code version} with a model {@link #open} opened (an upload's), batching its calls as {@code batching}
     * says; a failure is kept as its reason.
     */
    public Status adopt(UUID version, Opened opened, Batching batching) {
        if (loaded.containsKey(version)) {
            opened.close();
            return status(version);
        }
        try {
            hold(version, opened.take(), batching);
        } catch (OrtException | RuntimeException e) {
            LOG.warnf("model version %s failed to load: %s", version, e.getMessage());
            failed.put(version, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return status(version);
    }

    /** Loads a version from its file's bytes with the service's batching; a failure is kept as its reason. */
    public Status load(UUID version, byte[] model) {
        return load(version, model, Batching.DEFAULT);
    }

    /**
     * Loads a version from its file's bytes, batching its calls as {@code batching} says; a failure is kept as the
     * version's reason, not thrown.
     */
    public Status load(UUID version, byte[] model, Batching batching) {
        if (loaded.containsKey(version)) {
            return status(version);
        }
        try (OrtSession.SessionOptions options = options()) {
            hold(version, env.createSession(model, options), batching);
        } catch (OrtException | RuntimeException e) {
            LOG.warnf("model version %s failed to load: %s", version, e.getMessage());
            failed.put(version, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return status(version);
    }

    /** Serves {@code version} with {@code session} (closed instead when another thread got there first). */
    private void hold(UUID version, OrtSession session, Batching batching) throws OrtException {
        try {
            Semaphore running = new Semaphore(config.maxConcurrency(), true);
            AtomicInteger waiting = new AtomicInteger();
            Batching b = effective(batching);
            Batcher batcher = b.maxBatchSize() > 1 && Batcher.batchable(session)
                    ? new Batcher(env, session, running, waiting, config, b, runs, batchRows)
                    : null;
            Loaded held = new Loaded(session, signature(session), running, waiting, batcher);
            if (loaded.putIfAbsent(version, held) != null) {
                session.close();
            }
            failed.remove(version);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** A version's batching with the service's settings filled in where it has none. */
    public Batching effective(Batching batching) {
        return (batching == null ? Batching.DEFAULT : batching).effective(config.batching());
    }

    /** Records that a version could not be loaded here, and why. */
    public Status failed(UUID version, String reason) {
        failed.put(version, reason);
        return status(version);
    }

    /** Drops a version from memory; calls already running finish first. */
    public void unload(UUID version) {
        failed.remove(version);
        Loaded model = loaded.remove(version);
        if (model != null) {
            model.running().acquireUninterruptibly(config.maxConcurrency());
            try {
                model.session().close();
            } catch (OrtException e) {
                LOG.warnf("closing model version %s: %s", version, e.getMessage());
            }
        }
    }

    /** The versions held or failed here. */
    public Set<UUID> known() {
        Set<UUID> all = ConcurrentHashMap.newKeySet();
        all.addAll(loaded.keySet());
        all.addAll(failed.keySet());
        return all;
    }

    /** This replica's standing of a version, or null when it neither holds nor tried it. */
    public Status status(UUID version) {
        if (loaded.containsKey(version)) {
            return new Status(State.READY, null);
        }
        String reason = failed.get(version);
        return reason == null ? null : new Status(State.FAILED, reason);
    }

    /** The environment tensors are made in. */
    public OrtEnvironment environment() {
        return env;
    }

    /**
     * Runs one call. The caller closes the inputs; the outputs are handed to {@code reader} and closed after it. On a
     * batching version the call may share its run with others; its reader still sees its own rows only.
     *
     * @param requested the outputs asked for, in order; empty: all of them
     */
    public <T> T run(UUID version, Map<String, OnnxTensor> inputs, List<String> requested, OutputReader<T> reader) {
        Loaded model = loaded.get(version);
        if (model == null) {
            Status s = status(version);
            throw new ProblemException(ProblemType.UNAVAILABLE, s == null ? "the model version is not loaded"
                    : "the model version failed to load: " + s.reason());
        }
        if (model.batcher() != null) {
            long rows = Batcher.rows(inputs);
            if (rows > 0) {
                return model.batcher().run(rows, inputs, requested, reader);
            }
        }
        enqueue(model.waiting(), config);
        boolean admitted;
        try {
            admitted = model.running().tryAcquire(config.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        } finally {
            model.waiting().decrementAndGet();
        }
        if (!admitted) {
            throw busy(config);
        }
        try {
            return runOnce(model.session(), runs, inputs, requested, reader);
        } catch (OrtException e) {
            throw refused(e);
        } finally {
            model.running().release();
        }
    }

    /** One session run, its outputs handed to {@code reader} while they are open; counted in {@code runs}. */
    static <T> T runOnce(OrtSession session, Counter runs, Map<String, OnnxTensor> inputs, List<String> requested,
            OutputReader<T> reader) throws OrtException {
        runs.increment();
        Set<String> names = requested.isEmpty() ? null : new java.util.LinkedHashSet<>(requested);
        try (OrtSession.Result result = names == null ? session.run(inputs) : session.run(inputs, names)) {
            List<Output> outputs = new ArrayList<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                if (!(e.getValue() instanceof OnnxTensor tensor)) {
                    throw new ProblemException(ProblemType.UNPROCESSABLE,
                            "output '" + e.getKey() + "' is not a tensor; the protocol carries tensors only");
                }
                outputs.add(new Output(e.getKey(), Tensors.datatype(tensor), tensor.getInfo().getShape(), tensor));
            }
            return reader.read(outputs);
        }
    }

    /** Counts a call into a version's queue, or refuses it (429) when the queue is full. */
    static void enqueue(AtomicInteger waiting, InferenceConfig.Runtime config) {
        if (waiting.incrementAndGet() > config.maxQueue()) {
            waiting.decrementAndGet();
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS,
                    "the model has " + config.maxQueue() + " calls waiting already; retry later");
        }
    }

    /** A call that waited {@code queue-timeout} without being admitted. */
    static ProblemException busy(InferenceConfig.Runtime config) {
        return new ProblemException(ProblemType.UNAVAILABLE,
                "the model stayed busy for " + config.queueTimeout().toMillis() + " ms; retry later");
    }

    static ProblemException interrupted() {
        return new ProblemException(ProblemType.UNAVAILABLE, "interrupted while waiting for the model");
    }

    /** ONNX Runtime refusing a call's inputs (a shape or a value the model cannot take). */
    static ProblemException refused(OrtException e) {
        return ProblemException.badRequest("the model refused the inputs: " + e.getMessage());
    }

    /** Reads a call's outputs while they are open. */
    @FunctionalInterface
    public interface OutputReader<T> {
        T read(List<Output> outputs) throws OrtException;
    }

    @PreDestroy
    void close() {
        for (UUID version : List.copyOf(loaded.keySet())) {
            unload(version);
        }
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(config.intraOpThreads());
        options.setInterOpNumThreads(config.interOpThreads());
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    private static Signature signature(OrtSession session) throws OrtException {
        return new Signature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo node : new LinkedHashMap<>(nodes).values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw ProblemException.badRequest("'" + node.getName() + "' is not a tensor ("
                        + node.getInfo() + "); the Open Inference Protocol carries tensors only");
            }
            Datatype datatype = Datatype.of(info.onnxType).orElseThrow(() -> ProblemException.badRequest(
                    "'" + node.getName() + "' has element type " + info.onnxType + ", which the protocol has no name for"));
            List<Long> shape = new ArrayList<>();
            for (long d : info.getShape()) {
                shape.add(d < 0 ? -1L : d);
            }
            out.add(new TensorSpec(node.getName(), datatype, shape));
        }
        return out;
    }
}
