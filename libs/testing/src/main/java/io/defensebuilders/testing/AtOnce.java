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

    /** One call of several: {@code index} is its place among them, from 0. */
    @FunctionalInterface
    public interface Indexed<T> {
        T call(int index) throws Exception;
    }

    /**
     * The answers of {@code count} calls of {@code call} started together, in order. A call without an answer after
     * {@code giveUpAfter} fails the test at once rather than waiting with it (the behaviour under test broke).
     */
    public static <T> List<T> calls(int count, Duration giveUpAfter, Callable<T> call) throws InterruptedException {
        return calls(count, giveUpAfter, index -> call.call());
    }

    /**
     * As {@link #calls(int, Duration, Callable)}, each call told its index; the failure names the calls that got no
     * answer.
     */
    public static <T> List<T> calls(int count, Duration giveUpAfter, Indexed<T> call) throws InterruptedException {
        // not closed: closing would wait for a call that hangs
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<T>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            calls.add(threads.submit(() -> call.call(index)));
        }
        long end = System.nanoTime() + giveUpAfter.toNanos();
        List<T> answers = new ArrayList<>();
        List<Integer> unanswered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                answers.add(calls.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                unanswered.add(i);
            } catch (ExecutionException e) {
                throw new AssertionError("call " + i + " failed: " + e.getCause(), e.getCause());
            }
        }
        if (!unanswered.isEmpty()) {
            throw new AssertionError(unanswered.size() + " of " + count + " calls got no answer within "
                    + giveUpAfter.toMillis() + " ms: " + unanswered + "; the others: " + answers);
        }
        threads.shutdown();
        return answers;
    }
}
