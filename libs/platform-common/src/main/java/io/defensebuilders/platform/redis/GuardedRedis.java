package io.defensebuilders.platform.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One Redis client used as an accelerator, not a dependency: every command is bounded by {@code timeout}, and a
 * client that did not answer in time, or could not be reached, is not asked again (its commands fail at once) until a
 * background PING, every {@code retry} with the same bound, is answered. Callers fall back as they would without
 * Redis. One health state per client, whatever the number of call sites: gauge {@code dbp.redis.degraded{client}}
 * (1 while it is not used), counter {@code dbp.redis.fallbacks{client}}, one WARN when it is left and one INFO when it
 * is used again.
 * <p>
 * Writes that must not be lost to an outage (evictions, tombstones) go through {@link #write}: one that cannot be
 * sent, or is not answered in time, is sent again when Redis answers, before any other command uses the client again,
 * so a cache entry evicted during the outage cannot be read back after it. A caller that must know the write landed
 * (a revocation) waits for that with {@link #whenAvailable}: a short stall ends in the write being sent, only a longer
 * one in a failure.
 */
public final class GuardedRedis implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GuardedRedis.class);
    /** Writes kept for replay at most; beyond, the oldest are dropped (and logged), cache entries then age out. */
    private static final int MAX_REPLAYS = 10_000;

    private final String client;
    private final Redis redis;
    private final Vertx vertx;
    private final long timeoutMillis;
    private final long retryMillis;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Guards {@link #replays}, {@link #waiters} and the switch back to available, so no kept write is left behind. */
    private final Object lock = new Object();
    private final Set<Request> replays = new LinkedHashSet<>();
    private final List<Promise<Void>> waiters = new ArrayList<>();
    private final Counter fallbacks;
    private volatile long probeTimer = -1;
    private volatile boolean closed;

    /**
     * Guards {@code redis}, the Quarkus Redis client named {@code client} ({@code default} for the unnamed one), with
     * its command {@code timeout} and the {@code retry} interval of its probe.
     */
    public GuardedRedis(String client, Redis redis, Vertx vertx, Duration timeout, Duration retry, MeterRegistry meters) {
        this.client = client;
        this.redis = redis;
        this.vertx = vertx;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.retryMillis = Math.max(1, retry.toMillis());
        Gauge.builder("dbp.redis.degraded", degraded, d -> d.get() ? 1 : 0).tag("client", client)
                .description("1 while this Redis client is not used because it did not answer in time").register(meters);
        this.fallbacks = Counter.builder("dbp.redis.fallbacks").tag("client", client)
                .description("times this Redis client stopped being used because it did not answer in time")
                .register(meters);
    }

    /** Whether commands are sent to Redis now; while false they fail at once and the callers' fallbacks answer. */
    public boolean available() {
        return !degraded.get();
    }

    /**
     * Sends {@code request}: its answer, or a failure within the timeout. An error answer of Redis (e.g. NOSCRIPT)
     * fails the future without affecting the client's health; no answer, or no connection, makes the client
     * unavailable until the probe is answered. Fails at once with {@link RedisUnavailableException} while unavailable.
     */
    public Future<Response> send(Request request) {
        if (degraded.get()) {
            return Future.failedFuture(new RedisUnavailableException(client, "not used until it answers again"));
        }
        return bounded(request).onFailure(this::unavailableIf);
    }

    /**
     * As {@link #send}, for a write that must reach Redis: when it cannot be sent now or is not answered in time, it is
     * sent again once Redis answers, before the client is used again. The future still fails then: the caller knows
     * the write has not landed yet.
     */
    public Future<Response> write(Request request) {
        synchronized (lock) {
            if (degraded.get()) {
                keepForReplay(request);
                return Future.failedFuture(new RedisUnavailableException(client, "not used until it answers again; the"
                        + " write is sent when it does"));
            }
        }
        return bounded(request).onFailure(e -> {
            if (!isAnswer(e)) {
                keepForReplay(request);
                unavailableIf(e);
            }
        });
    }

    /**
     * Completes when the client is used again, that is once every write kept by {@link #write} has been sent (at once
     * when it is used now); fails with {@link RedisUnavailableException} when that has not happened {@code within}.
     */
    public Future<Void> whenAvailable(Duration within) {
        Promise<Void> waiter = Promise.promise();
        synchronized (lock) {
            if (!degraded.get()) {
                return Future.succeededFuture();
            }
            waiters.add(waiter);
        }
        long timer = vertx.setTimer(Math.max(1, within.toMillis()), id -> {
            synchronized (lock) {
                waiters.remove(waiter);
            }
            waiter.tryFail(new RedisUnavailableException(client, "did not answer again within " + within.toMillis()
                    + " ms"));
        });
        return waiter.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    /**
     * Whether {@code failure} is an error answer of Redis (e.g. WRONGTYPE): Redis is there, the command was refused
     * (Vert.x gives it as a Throwable that is also a Response).
     */
    public static boolean isAnswer(Throwable failure) {
        return failure instanceof Response;
    }

    /** {@link #whenAvailable} for Mutiny pipelines. */
    public Uni<Void> whenAvailableUni(Duration within) {
        return Uni.createFrom().completionStage(() -> whenAvailable(within).toCompletionStage());
    }

    /** {@link #send} for Mutiny pipelines: sent on subscription. */
    public Uni<Response> sendUni(Request request) {
        return Uni.createFrom().completionStage(() -> send(request).toCompletionStage());
    }

    /** {@link #write} for Mutiny pipelines: sent on subscription. */
    public Uni<Response> writeUni(Request request) {
        return Uni.createFrom().completionStage(() -> write(request).toCompletionStage());
    }

    /** The request sent through the client, or a failure after the timeout, whichever comes first. */
    private Future<Response> bounded(Request request) {
        Promise<Response> promise = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> promise.tryFail(new RedisUnavailableException(client,
                "no answer to " + request.command() + " within " + timeoutMillis + " ms")));
        Future<Response> sent;
        try {
            sent = redis.send(request);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(ar.cause());
            }
        });
        return promise.future();
    }

    private void unavailableIf(Throwable failure) {
        if (isAnswer(failure) || closed) {
            return;
        }
        if (degraded.compareAndSet(false, true)) {
            fallbacks.increment();
            LOG.warnf("Redis client '%s' did not answer (%s): not used until it answers a PING again (every %d ms)",
                    client, failure instanceof RedisUnavailableException u ? u.detail() : failure.toString(), retryMillis);
            probeTimer = vertx.setPeriodic(retryMillis, id -> probe());
        }
    }

    /** PING with the same bound; when answered, the kept writes are sent, then the client is used again. */
    private void probe() {
        if (closed || !degraded.get() || !probing.compareAndSet(false, true)) {
            return;
        }
        bounded(Request.cmd(Command.PING)).compose(pong -> replay()).onComplete(ar -> {
            probing.set(false);
            if (ar.succeeded() && !closed) {
                List<Promise<Void>> resumed;
                synchronized (lock) {
                    if (!replays.isEmpty()) {
                        return; // kept after the last replay ended: the next probe sends it first
                    }
                    // cancelled while still degraded: no failure can start another probe timer before the switch
                    vertx.cancelTimer(probeTimer);
                    if (!degraded.compareAndSet(true, false)) {
                        return;
                    }
                    resumed = new ArrayList<>(waiters);
                    waiters.clear();
                }
                LOG.infof("Redis client '%s' answers again: used again", client);
                resumed.forEach(Promise::tryComplete);
            }
        });
    }

    /**
     * Sends the kept writes one after the other, in the order they were made (a tombstone before the message that
     * tells other replicas to read it), and again for writes kept meanwhile, until none is left; stops at the first
     * that is not answered, which is kept with the rest for the next probe. A write Redis refuses (an error answer)
     * is dropped: sending it again would be refused again, and would keep the client unused for good.
     */
    private Future<Void> replay() {
        List<Request> pending;
        synchronized (lock) {
            pending = new ArrayList<>(replays);
        }
        if (pending.isEmpty()) {
            return Future.succeededFuture();
        }
        Future<Void> chain = Future.succeededFuture();
        for (Request request : pending) {
            chain = chain.compose(previous -> bounded(request).recover(e -> {
                if (!isAnswer(e)) {
                    return Future.failedFuture(e);
                }
                LOG.warnf("Redis client '%s' refused a kept %s (%s): dropped", client, request.command(), e.getMessage());
                return Future.succeededFuture();
            }).map(ok -> {
                synchronized (lock) {
                    replays.remove(request);
                }
                return null;
            }));
        }
        return chain.compose(sent -> replay());
    }

    private void keepForReplay(Request request) {
        synchronized (lock) {
            replays.remove(request); // re-added at the end: the latest write of the same command comes last
            replays.add(request);
            if (replays.size() > MAX_REPLAYS) {
                var oldest = replays.iterator();
                oldest.next();
                oldest.remove();
                LOG.warnf("Redis client '%s': more than %d writes wait for it; the oldest is dropped", client,
                        MAX_REPLAYS);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
    }
}
