package io.defensebuilders.platform.sql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

/**
 * A pool whose every wait has an end. The reactive client waits as long as the database takes: a database that
 * stops answering (a hung process, a network partition, a long pause) keeps every call that needs it waiting with it.
 * Through this pool, getting a connection fails after {@code acquireMillis} and a statement, a commit or a rollback
 * after {@code statementMillis}, with a {@link DatabaseUnavailableException} (503 with Retry-After); so do refused or
 * broken connections and the database's own "cannot answer now" errors. Everything the pool hands out (connections,
 * queries, transactions, prepared statements, cursors) is bounded the same way, callback and future methods alike,
 * and a connection that arrives after its caller gave up is put back at once. A query made on the pool itself that
 * gave up while waiting for a connection stays in the pool's queue, and runs when one comes free.
 *
 * <p>
 * A statement that timed out here may still run when the database answers again; inside a transaction it is
 * rolled back. Closing a connection that timed out answers at once, its rollback and return to the pool going on
 * in the background. The server's own {@code statement_timeout} (set to the same bound) cancels a statement that is merely
 * slow, so that its connection comes back to the pool.
 */
final class BoundedSql implements InvocationHandler {

    /** What the pool hands out that can wait for the database: bounded in turn. */
    private static final Set<Class<?>> WRAPPED = Set.of(SqlConnection.class, Transaction.class, Query.class,
            PreparedStatement.class, Cursor.class);
    /** Methods that wait for the database. Others ({@code completion()}, streams, handlers) pass through. */
    private static final Set<String> BOUNDED = Set.of("getConnection", "execute", "executeBatch", "begin", "commit",
            "rollback", "prepare", "read");

    /** Counts what ended here; the pool reports each wait that failed. */
    interface Listener {
        void unavailable(DatabaseUnavailableException e);
    }

    private final Object target;
    private final Vertx vertx;
    private final long acquireMillis;
    private final long statementMillis;
    private final Listener listener;
    /**
     * Set once a wait on this connection ran out (null on the pool): the connection is in an unknown state, and what
     * comes after on it (the rollback, the next statement) fails at once instead of waiting the whole bound again.
     */
    private final AtomicBoolean timedOut;

    private BoundedSql(Object target, Vertx vertx, long acquireMillis, long statementMillis, Listener listener,
            AtomicBoolean timedOut) {
        this.target = target;
        this.vertx = vertx;
        this.acquireMillis = acquireMillis;
        this.statementMillis = statementMillis;
        this.listener = listener;
        this.timedOut = timedOut;
    }

    /** {@code pool}, with every wait bounded: a proxy with every public interface the pool has (PgPool included). */
    static Pool pool(Pool pool, Vertx vertx, long acquireMillis, long statementMillis, Listener listener) {
        return (Pool) new BoundedSql(pool, vertx, acquireMillis, statementMillis, listener, null).proxy();
    }

    private Object proxy() {
        return proxy(target, this);
    }

    private static Object proxy(Object target, InvocationHandler handler) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (java.lang.reflect.Modifier.isPublic(i.getModifiers())) {
                    interfaces.add(i);
                }
            }
        }
        return Proxy.newProxyInstance(BoundedSql.class.getClassLoader(), interfaces.toArray(Class<?>[]::new), handler);
    }

    private Object wrap(Object value) {
        if (value == null || Proxy.isProxyClass(value.getClass())) {
            return value;
        }
        for (Class<?> c : WRAPPED) {
            if (c.isInstance(value)) {
                // a connection starts a state of its own; its transactions, queries and cursors share it
                AtomicBoolean state = value instanceof SqlConnection || timedOut == null ? new AtomicBoolean()
                        : timedOut;
                return new BoundedSql(value, vertx, acquireMillis, statementMillis, listener, state).proxy();
            }
        }
        return value;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                if (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Object.class) {
                    return proxy == args[0];
                }
                break;
            case "hashCode":
                if (method.getParameterCount() == 0) {
                    return System.identityHashCode(proxy);
                }
                break;
            case "toString":
                if (method.getParameterCount() == 0) {
                    return "bounded " + target;
                }
                break;
            default:
                break;
        }
        if (method.isDefault()) {
            // withTransaction, withConnection...: run against the proxy, so what they call is bounded too
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if ("close".equals(method.getName()) && timedOut != null && timedOut.get() && target instanceof SqlConnection) {
            return closeInBackground(method, args);
        }
        boolean bounded = BOUNDED.contains(method.getName());
        if (bounded && timedOut != null && timedOut.get() && !"getConnection".equals(method.getName())) {
            // the connection did not answer a moment ago: the database rolls its transaction back when it is closed
            Future<Object> failed = Future.failedFuture(new DatabaseUnavailableException(
                    "the database did not answer on this connection; try again shortly"));
            int last = args == null ? -1 : args.length - 1;
            if (last >= 0 && isResultHandler(method.getGenericParameterTypes()[last]) && args[last] != null) {
                @SuppressWarnings("unchecked")
                Handler<AsyncResult<Object>> caller = (Handler<AsyncResult<Object>>) args[last];
                failed.onComplete(caller);
                return null;
            }
            if (Future.class.isAssignableFrom(method.getReturnType())) {
                return failed;
            }
        }
        long limit = "getConnection".equals(method.getName()) ? acquireMillis : statementMillis;
        int last = args == null ? -1 : args.length - 1;
        if (bounded && last >= 0 && isResultHandler(method.getGenericParameterTypes()[last]) && args[last] != null) {
            @SuppressWarnings("unchecked")
            Handler<AsyncResult<Object>> caller = (Handler<AsyncResult<Object>>) args[last];
            Promise<Object> raw = Promise.promise();
            Object[] changed = args.clone();
            changed[last] = raw;
            Future<Object> answer = bound(raw.future(), limit);
            call(method, changed);
            answer.onComplete(caller);
            return null;
        }
        Object result = call(method, args);
        if (bounded && result instanceof Future<?> future) {
            return bound(future, limit);
        }
        if (result == target) {
            return proxy; // fluent setters
        }
        return wrap(result);
    }

    /**
     * Closing a connection that did not answer: the client rolls back its transaction first, which waits for the
     * silent database (Hibernate Reactive waits for the close before it answers its caller). The close goes on in the
     * background, and the connection returns to the pool when the database answers; the caller is told at once.
     */
    private Object closeInBackground(Method method, Object[] args) throws Throwable {
        int last = args == null ? -1 : args.length - 1;
        if (last >= 0 && isResultHandler(method.getGenericParameterTypes()[last]) && args[last] != null) {
            @SuppressWarnings("unchecked")
            Handler<AsyncResult<Object>> caller = (Handler<AsyncResult<Object>>) args[last];
            Object[] changed = args.clone();
            changed[last] = (Handler<AsyncResult<Object>>) ignored -> {
            };
            call(method, changed);
            Future.<Object> succeededFuture().onComplete(caller);
            return null;
        }
        call(method, args);
        return Future.class.isAssignableFrom(method.getReturnType()) ? Future.succeededFuture() : null;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean isResultHandler(Type type) {
        return type instanceof ParameterizedType handler && handler.getRawType() == Handler.class
                && handler.getActualTypeArguments()[0] instanceof ParameterizedType result
                && result.getRawType() == AsyncResult.class;
    }

    /** {@code future}, failed with {@link DatabaseUnavailableException} if it has not completed within {@code millis}. */
    private Future<Object> bound(Future<?> future, long millis) {
        Context context = Vertx.currentContext();
        Promise<Object> answer = context instanceof ContextInternal internal ? internal.promise() : Promise.promise();
        long timer = vertx.setTimer(millis, id -> {
            DatabaseUnavailableException e = new DatabaseUnavailableException(
                    "the database did not answer within " + millis + " ms; try again shortly");
            // marked before the failure is delivered: its handlers run now, and the rollback they ask for must find
            // the connection marked, or it waits a second bound on the same silent connection
            boolean was = timedOut != null && timedOut.getAndSet(true);
            if (answer.tryFail(e)) {
                listener.unavailable(e);
            } else if (timedOut != null && !was) {
                timedOut.set(false); // the answer came first after all
            }
        });
        future.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                Object value = wrap(ar.result());
                if (!answer.tryComplete(value) && value instanceof SqlConnection late) {
                    late.close(); // its caller gave up waiting: back to the pool
                }
            } else {
                Throwable cause = DatabaseFailures.translate(ar.cause());
                if (answer.tryFail(cause) && cause instanceof DatabaseUnavailableException e) {
                    listener.unavailable(e);
                }
            }
        });
        return answer.future();
    }
}
