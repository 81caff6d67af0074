package io.defensebuilders.inference.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.inference.runtime.ModelRuntime.Output;
import io.defensebuilders.inference.runtime.ModelRuntime.OutputReader;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.platform.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;

/**
 * Dynamic batching for one model version, as Triton's dynamic batcher does it: calls that differ only in their first
 * dimension and arrive within {@code max-queue-delay} of the first of them run as one session run of up to
 * {@code max-batch-size} rows, and each call gets its own rows back. One run over many rows costs far less than as
 * many runs of one (each operator is dispatched once, a matrix product works on all the rows at a time).
 *
 * <p>
 * The version's admission still holds: a batch takes one of its {@code max-concurrency} permits, each call counts
 * against {@code max-queue} until its batch is admitted and gives up on its own after {@code queue-timeout}. There is
 * no thread of its own: the first call of a batch leads it (waits for company, then for a permit, then runs it and
 * hands every other call its rows). A batch takes calls until it is admitted, so under load, while every permit is
 * busy, the calls queueing up run together. A leader that gives up hands the batch to the next call still waiting in
 * it.
 *
 * <p>
 * Rows are assumed independent, as Triton assumes of a model with a batch dimension: a model that mixes rows would
 * answer differently in a batch. When an output's first dimension is not the batch's rows, or the merged run fails
 * (a value one call sent that the model refuses), the batch's calls run one by one, so only a bad call fails.
 */
final class Batcher {

    private static final Logger LOG = Logger.getLogger(Batcher.class);

    /** Element types whose tensors are bytes to concatenate and split; string tensors are not. */
    private static final Set<Datatype> MERGEABLE = EnumSet.of(Datatype.BOOL, Datatype.UINT8, Datatype.INT8,
            Datatype.INT16, Datatype.INT32, Datatype.INT64, Datatype.FP16, Datatype.FP32, Datatype.FP64);

    /** What calls must share to run as one: the outputs asked for, each input's element type and trailing dimensions. */
    private record Key(List<String> requested, Map<String, Trailing> inputs) {
    }

    private record Trailing(OnnxJavaType type, List<Long> dimensions) {
    }

    /** A call's standing in its batch; every change is made under the batcher's lock. */
    private enum State {
        WAITING,
        LEADING,
        RUNNING,
        GONE
    }

    /** What a call waiting in a batch is handed: its outputs, its refusal, or the batch to lead. */
    private sealed interface Outcome {
    }

    private record Answer(List<Output> outputs) implements Outcome {
    }

    private record Refusal(RuntimeException error) implements Outcome {
    }

    private record Lead() implements Outcome {
    }

    private static final class Member {
        final Map<String, OnnxTensor> inputs;
        final long rows;
        final long deadline;
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Batch batch;
        State state = State.WAITING;

        Member(Map<String, OnnxTensor> inputs, long rows, long deadline) {
            this.inputs = inputs;
            this.rows = rows;
            this.deadline = deadline;
        }
    }

    private static final class Batch {
        final Key key;
        final long opened = System.nanoTime();
        final List<Member> members = new ArrayList<>();
        long rows;

        Batch(Key key) {
            this.key = key;
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Semaphore running;
    private final AtomicInteger waiting;
    private final InferenceConfig.Runtime config;
    private final Counter runs;
    private final DistributionSummary batchRows;
    private final long maxRows;
    private final long delayNanos;
    /** The batch of each key that still takes calls; guarded by this. */
    private final Map<Key, Batch> open = new HashMap<>();

    Batcher(OrtEnvironment env, OrtSession session, Semaphore running, AtomicInteger waiting,
            InferenceConfig.Runtime config, Batching batching, Counter runs, DistributionSummary batchRows) {
        this.env = env;
        this.session = session;
        this.running = running;
        this.waiting = waiting;
        this.config = config;
        this.runs = runs;
        this.batchRows = batchRows;
        this.maxRows = batching.maxBatchSize();
        this.delayNanos = batching.maxQueueDelay().toNanos();
    }

    /**
     * Whether a model's calls can be merged: every input and output has a dynamic first dimension, one the model
     * names alike wherever it names it (two names would be two independent sizes), and an element type stored as
     * plain bytes.
     */
    static boolean batchable(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.isEmpty()) {
            return false;
        }
        String batch = null;
        for (Map<String, NodeInfo> nodes : List.of(inputs, session.getOutputInfo())) {
            for (NodeInfo node : nodes.values()) {
                if (!(node.getInfo() instanceof TensorInfo info)) {
                    return false;
                }
                long[] shape = info.getShape();
                if (shape.length == 0 || shape[0] >= 0
                        || !Datatype.of(info.onnxType).map(MERGEABLE::contains).orElse(false)) {
                    return false;
                }
                String name = info.getDimensionNames()[0];
                if (name != null && !name.isEmpty()) {
                    if (batch != null && !batch.equals(name)) {
                        return false;
                    }
                    batch = name;
                }
            }
        }
        return true;
    }

    /**
     * The rows of a call that can share a run: the first dimension every input has alike, at least 1; 0 when the call
     * runs alone.
     */
    static long rows(Map<String, OnnxTensor> inputs) {
        long rows = 0;
        for (OnnxTensor tensor : inputs.values()) {
            TensorInfo info = tensor.getInfo();
            long[] shape = info.getShape();
            if (shape.length == 0 || shape[0] < 1 || (rows != 0 && shape[0] != rows)
                    || info.type == OnnxJavaType.STRING || info.type == OnnxJavaType.UNKNOWN) {
                return 0;
            }
            rows = shape[0];
        }
        return rows;
    }

    /** Runs a call of {@code rows} rows in a batch, as {@link ModelRuntime#run} does alone. */
    <T> T run(long rows, Map<String, OnnxTensor> inputs, List<String> requested, OutputReader<T> reader) {
        ModelRuntime.enqueue(waiting, config);
        Member me = new Member(inputs, rows, System.nanoTime() + config.queueTimeout().toNanos());
        if (join(key(inputs, requested), me)) {
            try {
                awaitCompany(me.batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handOff(me);
                throw ModelRuntime.interrupted();
            }
            return lead(me, requested, reader);
        }
        return switch (await(me)) {
            case Answer answer -> read(answer.outputs(), reader);
            case Refusal refusal -> throw refusal.error();
            case Lead lead -> lead(me, requested, reader);
        };
    }

    private static Key key(Map<String, OnnxTensor> inputs, List<String> requested) {
        Map<String, Trailing> trailing = new HashMap<>();
        for (Map.Entry<String, OnnxTensor> e : inputs.entrySet()) {
            TensorInfo info = e.getValue().getInfo();
            long[] shape = info.getShape();
            List<Long> dimensions = new ArrayList<>();
            for (int i = 1; i < shape.length; i++) {
                dimensions.add(shape[i]);
            }
            trailing.put(e.getKey(), new Trailing(info.type, List.copyOf(dimensions)));
        }
        return new Key(List.copyOf(requested), Map.copyOf(trailing));
    }

    /** Puts a call in the open batch of its kind, or opens one; true when the call leads it. */
    private synchronized boolean join(Key key, Member me) {
        Batch batch = open.get(key);
        boolean leads = batch == null || batch.rows + me.rows > maxRows;
        if (leads) {
            if (batch != null) {
                // it cannot take this call: it goes as it is
                seal(batch);
            }
            batch = new Batch(key);
            me.state = State.LEADING;
            open.put(key, batch);
        }
        me.batch = batch;
        batch.members.add(me);
        batch.rows += me.rows;
        if (batch.rows >= maxRows) {
            seal(batch);
        }
        return leads;
    }

    /** Stops a batch taking calls, and wakes its leader if it waits for company. */
    private void seal(Batch batch) {
        open.remove(batch.key, batch);
        notifyAll();
    }

    /** The leader's wait: until the batch is full or {@code max-queue-delay} has passed since it opened. */
    private synchronized void awaitCompany(Batch batch) throws InterruptedException {
        long until = batch.opened + delayNanos;
        for (long left = until - System.nanoTime(); left > 0 && open.get(batch.key) == batch; left = until
                - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** A member's wait for its outcome; it leaves the batch (503) when its queue time runs out before a run. */
    private Outcome await(Member me) {
        boolean interrupted = false;
        try {
            return me.outcome.get(Math.max(0, me.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (TimeoutException e) {
            // falls through to leave
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (withdraw(me)) {
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw ModelRuntime.interrupted();
            }
            throw ModelRuntime.busy(config);
        }
        // already in a run, or handed the lead: that outcome is on its way, and must be taken (it holds tensors)
        Outcome outcome = me.outcome.join();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome;
    }

    private synchronized boolean withdraw(Member me) {
        if (me.state != State.WAITING) {
            return false;
        }
        leave(me);
        return true;
    }

    /** The leader gives up (queue time out, interrupted): the next call still waiting leads, or the batch closes. */
    private synchronized void handOff(Member me) {
        leave(me);
        for (Member next : me.batch.members) {
            if (next.state == State.WAITING) {
                next.state = State.LEADING;
                next.outcome.complete(new Lead());
                return;
            }
        }
        seal(me.batch);
    }

    private void leave(Member me) {
        me.state = State.GONE;
        me.batch.rows -= me.rows;
        waiting.decrementAndGet();
    }

    /** Admission for the batch, then its run; every member but the leader is handed its outcome. */
    private <T> T lead(Member me, List<String> requested, OutputReader<T> reader) {
        boolean admitted = false;
        boolean interrupted = false;
        try {
            admitted = running.tryAcquire(Math.max(0, me.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (!admitted) {
            handOff(me);
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw ModelRuntime.interrupted();
            }
            throw ModelRuntime.busy(config);
        }
        List<Member> run = claim(me.batch);
        batchRows.record(run.stream().mapToLong(m -> m.rows).sum());
        if (run.size() == 1) {
            // alone after all: the plain path, the reader on the run's own outputs
            try {
                return ModelRuntime.runOnce(session, runs, me.inputs, requested, reader);
            } catch (OrtException e) {
                throw ModelRuntime.refused(e);
            } finally {
                running.release();
            }
        }
        Map<Member, Outcome> outcomes = Map.of();
        try {
            outcomes = execute(run, requested);
        } finally {
            running.release();
            for (Member member : run) {
                if (member != me) {
                    Outcome outcome = outcomes.get(member);
                    member.outcome.complete(outcome != null ? outcome
                            : new Refusal(new ProblemException(ProblemType.INTERNAL,
                                    "the batch this call ran in failed")));
                }
            }
        }
        return switch (outcomes.get(me)) {
            case Answer answer -> read(answer.outputs(), reader);
            case Refusal refusal -> throw refusal.error();
            case Lead lead -> throw new IllegalStateException("a batch's leader is handed the lead");
        };
    }

    /** Closes the batch to new calls and takes every call still in it into the run. */
    private synchronized List<Member> claim(Batch batch) {
        seal(batch);
        List<Member> run = new ArrayList<>();
        for (Member member : batch.members) {
            if (member.state == State.WAITING || member.state == State.LEADING) {
                member.state = State.RUNNING;
                waiting.decrementAndGet();
                run.add(member);
            }
        }
        return run;
    }

    /** Runs the calls as one, or one by one when they cannot share the run. */
    private Map<Member, Outcome> execute(List<Member> run, List<String> requested) {
        long total = run.stream().mapToLong(m -> m.rows).sum();
        Map<Member, Outcome> outcomes = new IdentityHashMap<>();
        try {
            List<List<Output>> split = runMerged(run, total, requested);
            if (split != null) {
                for (int i = 0; i < run.size(); i++) {
                    outcomes.put(run.get(i), new Answer(split.get(i)));
                }
                return outcomes;
            }
            LOG.debugf("an output of a batch of %d rows is not one row per input row; running its calls one by one",
                    total);
        } catch (OrtException | RuntimeException e) {
            LOG.debugf("a batch of %d calls failed as one (%s); running them one by one", run.size(), e.getMessage());
        }
        for (Member member : run) {
            outcomes.put(member, alone(member, requested));
        }
        return outcomes;
    }

    /** The calls' inputs concatenated along the first dimension, run once, the outputs split back; null: not per row. */
    private List<List<Output>> runMerged(List<Member> run, long total, List<String> requested) throws OrtException {
        Map<String, OnnxTensor> merged = new LinkedHashMap<>();
        try {
            for (String name : run.get(0).inputs.keySet()) {
                merged.put(name, concat(run, name, total));
            }
            return ModelRuntime.runOnce(session, runs, merged, requested, outputs -> split(outputs, run, total));
        } finally {
            merged.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor concat(List<Member> run, String name, long total) throws OrtException {
        List<ByteBuffer> parts = new ArrayList<>();
        int bytes = 0;
        for (Member member : run) {
            // a copy of the tensor's elements in native order, whatever buffer the tensor was made from
            ByteBuffer part = member.inputs.get(name).getByteBuffer();
            parts.add(part);
            bytes = Math.addExact(bytes, part.remaining());
        }
        ByteBuffer all = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        parts.forEach(all::put);
        TensorInfo info = run.get(0).inputs.get(name).getInfo();
        long[] shape = info.getShape();
        shape[0] = total;
        return OnnxTensor.createTensor(env, all.flip(), shape, info.type);
    }

    /** Each call's rows of every output, as tensors of their own; null when an output does not have a row per row. */
    private List<List<Output>> split(List<Output> outputs, List<Member> run, long total) throws OrtException {
        for (Output output : outputs) {
            if (output.shape().length == 0 || output.shape()[0] != total) {
                return null;
            }
        }
        List<List<Output>> split = new ArrayList<>();
        run.forEach(m -> split.add(new ArrayList<>()));
        try {
            for (Output output : outputs) {
                ByteBuffer all = output.tensor().getByteBuffer();
                long rowBytes = all.remaining() / total;
                int at = 0;
                for (int i = 0; i < run.size(); i++) {
                    long[] shape = output.shape().clone();
                    shape[0] = run.get(i).rows;
                    int length = Math.toIntExact(rowBytes * shape[0]);
                    split.get(i).add(copy(output, all.slice(at, length), shape));
                    at += length;
                }
            }
            return split;
        } catch (OrtException | RuntimeException e) {
            split.forEach(Batcher::close);
            throw e;
        }
    }

    /** One call run by itself, its outputs copied out of the run for the call's own thread to read. */
    private Outcome alone(Member member, List<String> requested) {
        try {
            return new Answer(ModelRuntime.runOnce(session, runs, member.inputs, requested, this::copies));
        } catch (OrtException e) {
            return new Refusal(ModelRuntime.refused(e));
        } catch (RuntimeException e) {
            return new Refusal(e);
        }
    }

    private List<Output> copies(List<Output> outputs) throws OrtException {
        List<Output> copies = new ArrayList<>();
        try {
            for (Output output : outputs) {
                copies.add(copy(output, output.tensor().getByteBuffer(), output.shape()));
            }
            return copies;
        } catch (OrtException | RuntimeException e) {
            close(copies);
            throw e;
        }
    }

    private Output copy(Output output, ByteBuffer elements, long[] shape) throws OrtException {
        ByteBuffer direct = ByteBuffer.allocateDirect(elements.remaining()).order(ByteOrder.nativeOrder())
                .put(elements).flip();
        return new Output(output.name(), output.datatype(), shape,
                OnnxTensor.createTensor(env, direct, shape, output.tensor().getInfo().type));
    }

    /** A call's reader on its own outputs, closed after. */
    private static <T> T read(List<Output> outputs, OutputReader<T> reader) {
        try {
            return reader.read(outputs);
        } catch (OrtException e) {
            throw ModelRuntime.refused(e);
        } finally {
            close(outputs);
        }
    }

    private static void close(List<Output> outputs) {
        outputs.forEach(o -> o.tensor().close());
    }
}
