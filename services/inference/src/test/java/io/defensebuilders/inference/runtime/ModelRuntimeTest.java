package io.defensebuilders.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OnnxTensor;
import io.defensebuilders.inference.config.InferenceConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.testing.config.ConfigStub;
import io.defensebuilders.testing.onnx.OnnxModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Admission to a model version: its concurrency, its bounded queue (429 beyond) and the wait's bound (503); and
 * dynamic batching: concurrent calls merged into one run, each answered with its own rows, a bad call failing alone.
 */
class ModelRuntimeTest {

    /** The linear model's weights: Y = X·W + B, X [N, 2], Y [N, 3]. */
    private static final float[][] W = { { 1, 2, 3 }, { 4, 5, 6 } };
    private static final float[] B = { 0.5f, -1, 2 };
    /** Long enough that calls started together always meet in one batch, even on a busy machine. */
    private static final Duration WINDOW = Duration.ofMillis(500);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService pool = Executors.newFixedThreadPool(12);
    private ModelRuntime runtime;

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (runtime != null) {
            runtime.close();
        }
    }

    private ModelRuntime runtime(int maxConcurrency, int maxQueue, Duration queueTimeout, int maxBatchSize,
            Duration maxQueueDelay) {
        runtime = new ModelRuntime(ConfigStub.of(InferenceConfig.class, Map.of("runtime",
                ConfigStub.of(InferenceConfig.Runtime.class, Map.of("intraOpThreads", 1, "interOpThreads", 1,
                        "maxConcurrency", maxConcurrency, "maxQueue", maxQueue, "queueTimeout", queueTimeout,
                        "batching", ConfigStub.of(InferenceConfig.Runtime.Batching.class,
                                Map.of("maxBatchSize", maxBatchSize, "maxQueueDelay", maxQueueDelay)))))),
                meters);
        return runtime;
    }

    @Test
    void aFullQueueIsRefusedAtOnceAndAWaitIsBounded() throws Exception {
        runtime(1, 1, Duration.ofMillis(300), 1, Duration.ZERO);
        admissionIsBounded();
    }

    @Test
    void aBatchingVersionKeepsTheQueueAndWaitBounds() throws Exception {
        runtime(1, 1, Duration.ofMillis(300), 8, Duration.ofMillis(20));
        admissionIsBounded();
    }

    private void admissionIsBounded() throws Exception {
        UUID v = UUID.randomUUID();
        assertEquals(ModelRuntime.State.READY, runtime.load(v, OnnxModels.identity(OnnxModels.FLOAT)).state());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the one call the version admits, held inside the runtime until released
        Future<Float> first = pool.submit(() -> call(v, () -> {
            running.countDown();
            release.await();
        }));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        // the one call its queue holds: it waits, then gives up after queue-timeout
        Future<Float> queued = pool.submit(() -> call(v, () -> {
        }));
        Thread.sleep(100);
        // a third finds the queue full: 429 at once, not after a wait
        long start = System.nanoTime();
        ProblemException full = assertThrows(ProblemException.class, () -> call(v, () -> {
        }));
        assertEquals(429, full.status());
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(250), "refused without waiting");
        var waited = assertThrows(java.util.concurrent.ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertEquals(503, ((ProblemException) waited.getCause()).status());
        release.countDown();
        assertEquals(2.5f, first.get(10, TimeUnit.SECONDS));
        // and the version admits calls again
        assertEquals(2.5f, call(v, () -> {
        }));
    }

    @Test
    void aFileTheRuntimeCannotLoadIsAFailedVersionWithItsReason() {
        runtime(1, 1, Duration.ofMillis(300), 1, Duration.ZERO);
        UUID v = UUID.randomUUID();
        ModelRuntime.Status status = runtime.load(v, "not a model".getBytes());
        assertEquals(ModelRuntime.State.FAILED, status.state());
        assertTrue(status.reason() != null && !status.reason().isBlank(), status.toString());
        assertEquals(503, assertThrows(ProblemException.class, () -> call(v, () -> {
        })).status());
        runtime.unload(v);
        assertNull(runtime.status(v), "unloading forgets the failure too");
    }

    @Test
    void concurrentCallsRunAsOneBatchAndEachGetsItsOwnRow() throws Exception {
        runtime(1, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID v = linearModel();
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            xs.add(new float[] { i, 10 - 1.5f * i });
        }
        List<Future<Answer>> answers = together(xs.stream().<Callable<Answer>> map(x -> () -> linear(v, x, 2)).toList());
        for (int i = 0; i < xs.size(); i++) {
            assertLinear(xs.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertTrue(runs() < xs.size(), "6 calls in fewer runs, ran " + runs());
    }

    @Test
    void aTwoRowCallAndAOneRowCallShareARunAndEachGetsItsRows() throws Exception {
        runtime(1, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID v = linearModel();
        float[] two = { 1, 2, -3, 0.25f };
        float[] one = { 7, -1 };
        List<Future<Answer>> answers = together(List.<Callable<Answer>> of(() -> linear(v, two, 2), () -> linear(v, one, 2)));
        assertLinear(two, answers.get(0).get(10, TimeUnit.SECONDS));
        assertLinear(one, answers.get(1).get(10, TimeUnit.SECONDS));
        assertEquals(1, runs(), "both calls in one run");
        assertEquals(3, meters.get("dbp.inference.batch.rows").summary().max(), "of 3 rows");
    }

    @Test
    void aBatchTakesAtMostMaxBatchSizeRows() throws Exception {
        runtime(1, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID v = linearModel();
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            xs.add(new float[] { -i, 0.5f * i });
        }
        List<Future<Answer>> answers = together(xs.stream().<Callable<Answer>> map(x -> () -> linear(v, x, 2)).toList());
        for (int i = 0; i < xs.size(); i++) {
            assertLinear(xs.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertTrue(runs() >= 2 && runs() < xs.size(), "10 rows in 2 or more runs, fewer than 10: " + runs());
        assertTrue(meters.get("dbp.inference.batch.rows").summary().max() <= 8, "no run of more than 8 rows");
    }

    @Test
    void withBatchingOffEveryCallIsItsOwnRun() throws Exception {
        runtime(4, 64, Duration.ofSeconds(10), 1, WINDOW);
        UUID v = linearModel();
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            xs.add(new float[] { i, i + 1 });
        }
        List<Future<Answer>> answers = together(xs.stream().<Callable<Answer>> map(x -> () -> linear(v, x, 2)).toList());
        for (int i = 0; i < xs.size(); i++) {
            assertLinear(xs.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(6, runs());
    }

    @Test
    void aVersionsOwnBatchingTakesPrecedenceOverTheServices() throws Exception {
        // the service batches; this version does not
        runtime(4, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID alone = UUID.randomUUID();
        assertEquals(ModelRuntime.State.READY,
                runtime.load(alone, OnnxModels.linear(W, B), new Batching(1, null)).state());
        assertEquals(new Batching(1, 500_000), runtime.effective(new Batching(1, null)));
        List<float[]> xs = List.of(new float[] { 1, 2 }, new float[] { 3, 4 }, new float[] { 5, 6 });
        List<Future<Answer>> answers = together(xs.stream().<Callable<Answer>> map(x -> () -> linear(alone, x, 2)).toList());
        for (int i = 0; i < xs.size(); i++) {
            assertLinear(xs.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(3, runs(), "each call its own run");
        runtime.close();

        // the service does not batch; this version does, waiting for company
        runtime(1, 64, Duration.ofSeconds(10), 1, Duration.ZERO);
        UUID batched = UUID.randomUUID();
        assertEquals(ModelRuntime.State.READY,
                runtime.load(batched, OnnxModels.linear(W, B), new Batching(8, (int) WINDOW.toNanos() / 1000)).state());
        double before = runs();
        answers = together(xs.stream().<Callable<Answer>> map(x -> () -> linear(batched, x, 2)).toList());
        for (int i = 0; i < xs.size(); i++) {
            assertLinear(xs.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertTrue(runs() - before < xs.size(), "3 calls in fewer runs, ran " + (runs() - before));
    }

    @Test
    void aCallWithOtherTrailingDimensionsRunsApartAndOnlyItFails() throws Exception {
        runtime(1, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID v = linearModel();
        List<float[]> good = List.of(new float[] { 1, 1 }, new float[] { 2, -2 }, new float[] { 0, 3 });
        List<Callable<Answer>> calls = new ArrayList<>();
        good.forEach(x -> calls.add(() -> linear(v, x, 2)));
        // [1, 3] where the model takes [N, 2]
        calls.add(() -> linear(v, new float[] { 1, 2, 3 }, 3));
        List<Future<Answer>> answers = together(calls);
        for (int i = 0; i < good.size(); i++) {
            assertLinear(good.get(i), answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(400, refusal(answers.get(3)).status());
        assertTrue(runs() <= 2, "the good calls shared a run: " + runs());
    }

    @Test
    void aValueTheModelRefusesFailsOnlyItsOwnCall() throws Exception {
        runtime(1, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID v = UUID.randomUUID();
        assertEquals(ModelRuntime.State.READY, runtime.load(v, OnnxModels.lookup(10, 20, 30)).state());
        long[] indices = { 0, 2, 7, 1 };
        List<Future<Float>> answers = together(java.util.Arrays.stream(indices)
                .<Callable<Float>> mapToObj(i -> () -> lookup(v, i)).toList());
        assertEquals(10f, answers.get(0).get(10, TimeUnit.SECONDS));
        assertEquals(30f, answers.get(1).get(10, TimeUnit.SECONDS));
        ProblemException refused = refusal(answers.get(2));
        assertEquals(400, refused.status());
        assertEquals(20f, answers.get(3).get(10, TimeUnit.SECONDS));
        assertEquals(4, meters.get("dbp.inference.batch.rows").summary().max(), "the four calls were one batch");
    }

    @Test
    void anOutputThatIsNotOneRowPerRowIsNotCutByRowsButRunCallByCall() throws Exception {
        runtime(1, 64, Duration.ofSeconds(10), 8, WINDOW);
        UUID v = UUID.randomUUID();
        assertEquals(ModelRuntime.State.READY, runtime.load(v, OnnxModels.flatten(3)).state());
        float[] a = { 1, 2, 3 };
        float[] b = { 4, 5, 6 };
        List<Future<Answer>> answers = together(List.<Callable<Answer>> of(() -> flatten(v, a), () -> flatten(v, b)));
        // the merged [6] has no row per input row: each call is run again alone and answered its own [3]
        Answer first = answers.get(0).get(10, TimeUnit.SECONDS);
        Answer second = answers.get(1).get(10, TimeUnit.SECONDS);
        assertArrayEquals(new long[] { 3 }, first.shape());
        assertArrayEquals(a, first.data());
        assertArrayEquals(new long[] { 3 }, second.shape());
        assertArrayEquals(b, second.data());
        assertEquals(2, meters.get("dbp.inference.batch.rows").summary().max(), "the two calls were one batch");
        assertEquals(3, runs(), "one merged run, then one run per call");
    }

    /** An output's shape and elements, read inside the runtime. */
    private record Answer(long[] shape, float[] data) {
    }

    private UUID linearModel() {
        UUID v = UUID.randomUUID();
        assertEquals(ModelRuntime.State.READY, runtime.load(v, OnnxModels.linear(W, B)).state());
        return v;
    }

    /** One call of the linear model on {@code x}, [rows, columns] flattened. */
    private Answer linear(UUID v, float[] x, int columns) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(x),
                new long[] { x.length / columns, columns })) {
            return runtime.run(v, Map.of("X", t), List.of(), ModelRuntimeTest::first);
        }
    }

    private Answer flatten(UUID v, float[] row) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(row),
                new long[] { 1, row.length })) {
            return runtime.run(v, Map.of("X", t), List.of(), ModelRuntimeTest::first);
        }
    }

    private float lookup(UUID v, long index) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), LongBuffer.wrap(new long[] { index }),
                new long[] { 1 })) {
            return runtime.run(v, Map.of("I", t), List.of(), outputs -> first(outputs).data()[0]);
        }
    }

    private static Answer first(List<ModelRuntime.Output> outputs) {
        ModelRuntime.Output y = outputs.get(0);
        FloatBuffer b = y.tensor().getFloatBuffer();
        float[] data = new float[b.remaining()];
        b.get(data);
        return new Answer(y.shape(), data);
    }

    /** Checks an answer of the linear model against X·W + B computed here. */
    private static void assertLinear(float[] x, Answer answer) {
        int rows = x.length / 2;
        float[] expected = new float[rows * 3];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                expected[r * 3 + c] = x[r * 2] * W[0][c] + x[r * 2 + 1] * W[1][c] + B[c];
            }
        }
        assertArrayEquals(new long[] { rows, 3 }, answer.shape());
        assertArrayEquals(expected, answer.data(), 1e-4f);
    }

    private static ProblemException refusal(Future<?> answer) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ProblemException.class, e.getCause());
    }

    /** Starts every call at the same moment, each on its own thread. */
    private <T> List<Future<T>> together(List<Callable<T>> calls) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> call : calls) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return call.call();
            }));
        }
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        go.countDown();
        return futures;
    }

    private double runs() {
        return meters.get("dbp.inference.session.runs").counter().count();
    }

    private interface Pause {
        void run() throws Exception;
    }

    /** One call of the identity model on [2.5], pausing inside the runtime (while admitted) first. */
    private float call(UUID v, Pause pause) throws Exception {
        try (OnnxTensor x = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(new float[] { 2.5f }),
                new long[] { 1 })) {
            return runtime.run(v, Map.of("X", x), List.of(), outputs -> {
                try {
                    pause.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return outputs.get(0).tensor().getFloatBuffer().get(0);
            });
        }
    }
}
