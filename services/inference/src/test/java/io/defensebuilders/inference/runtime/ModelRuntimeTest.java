package io.defensebuilders.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
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

/** Admission to a model version: its concurrency, its bounded queue (429 beyond) and the wait's bound (503). */
class ModelRuntimeTest {

    private final ModelRuntime runtime = new ModelRuntime(ConfigStub.of(InferenceConfig.class, Map.of("runtime",
            ConfigStub.of(InferenceConfig.Runtime.class, Map.of("intraOpThreads", 1, "interOpThreads", 1,
                    "maxConcurrency", 1, "maxQueue", 1, "queueTimeout", Duration.ofMillis(300))))),
            new SimpleMeterRegistry());
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        pool.shutdownNow();
        runtime.close();
    }

    @Test
    void aFullQueueIsRefusedAtOnceAndAWaitIsBounded() throws Exception {
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
        UUID v = UUID.randomUUID();
        ModelRuntime.Status status = runtime.load(v, "not a model".getBytes());
        assertEquals(ModelRuntime.State.FAILED, status.state());
        assertTrue(status.reason() != null && !status.reason().isBlank(), status.toString());
        assertEquals(503, assertThrows(ProblemException.class, () -> call(v, () -> {
        })).status());
        runtime.unload(v);
        assertNull(runtime.status(v), "unloading forgets the failure too");
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
