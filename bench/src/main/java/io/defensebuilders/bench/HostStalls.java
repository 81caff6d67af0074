package io.defensebuilders.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How much CPU time the machine itself takes away: threads that do nothing but read the clock, and note every gap of
 * more than a millisecond between two readings. On a machine of its own a spinning thread is never stopped that long
 * (the kernel lets it run while nothing else wants the CPU); on a virtual machine whose host shares its cores, the
 * gaps are the time the host ran something else, and they land on whatever the machine was doing, including a
 * benchmark's calls. Run with as many threads as CPUs (all busy, like a loaded benchmark) and with one.
 *
 * Usage: {@code HostStalls [seconds]}
 */
public final class HostStalls {

    /** Over all threads: time lost in gaps of more than 1 ms, their count, those over 10 ms, the longest. */
    record Result(int threads, double seconds, double lostPercent, int gaps, int gapsOver10ms, double longestMs) {
        String line() {
            return String.format("%d thread(s) spinning %.0f s: %.1f%% of their time lost in %d gaps > 1 ms (%d > 10 ms, "
                    + "longest %.1f ms)", threads, seconds, lostPercent, gaps, gapsOver10ms, longestMs);
        }
    }

    private HostStalls() {
    }

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        System.out.println(measure(Runtime.getRuntime().availableProcessors(), seconds).line());
        System.out.println(measure(1, seconds).line());
    }

    static Result measure(int threads, double seconds) throws InterruptedException {
        long duration = (long) (seconds * 1e9);
        long[][] perThread = new long[threads][];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            running.add(Thread.ofPlatform().name("host-stalls-" + t).start(() -> perThread[index] = spin(duration)));
        }
        for (Thread thread : running) {
            thread.join();
        }
        long lost = 0;
        int gaps = 0;
        int over10 = 0;
        long longest = 0;
        for (long[] r : perThread) {
            lost += r[0];
            gaps += (int) r[1];
            over10 += (int) r[2];
            longest = Math.max(longest, r[3]);
        }
        return new Result(threads, seconds, 100.0 * lost / ((double) duration * threads), gaps, over10, longest / 1e6);
    }

    /** lost nanoseconds, gaps over 1 ms, gaps over 10 ms, longest gap. */
    private static long[] spin(long duration) {
        long start = System.nanoTime();
        long last = start;
        long lost = 0;
        long gaps = 0;
        long over10 = 0;
        long longest = 0;
        while (last - start < duration) {
            long now = System.nanoTime();
            long gap = now - last;
            if (gap > 1_000_000) {
                lost += gap;
                gaps++;
                if (gap > 10_000_000) {
                    over10++;
                }
                longest = Math.max(longest, gap);
            }
            last = now;
        }
        return new long[] { lost, gaps, over10, longest };
    }
}
