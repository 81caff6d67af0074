package io.defensebuilders.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Many calls made at the same moment, each on a virtual thread: more at once than a pool has connections, say. */
public final class AtOnce {

    private AtOnce() {
    }

    /**
     * The answers of {@code count} calls of {@code call} started together, in order. A call without an answer after
     * {@code giveUpAfter} fails the test at once rather than waiting with it (the behaviour under test broke).
     */
    public static <T> List<T> calls(int count, Duration giveUpAfter, Callable<T> call) throws InterruptedException {
        // not closed: closing would wait for a call that hangs
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<T>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(threads.submit(call));
        }
        long end = System.nanoTime() + giveUpAfter.toNanos();
        List<T> answers = new ArrayList<>();
        for (Future<T> c : calls) {
            try {
                answers.add(c.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                throw new AssertionError("a call got no answer within " + giveUpAfter.toMillis() + " ms", e);
            } catch (ExecutionException e) {
                throw new AssertionError("a call failed: " + e.getCause(), e.getCause());
            }
        }
        threads.shutdown();
        return answers;
    }
}
