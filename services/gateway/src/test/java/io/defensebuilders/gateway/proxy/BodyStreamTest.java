package io.defensebuilders.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The counted body tells its size before the stream's own end handler runs: the proxy ends the other side (the
 * caller's response) in that handler, so the gateway's usage record must come first.
 */
class BodyStreamTest {

    /** A source that emits its chunks and ends when resumed. */
    private static final class Source implements ReadStream<Buffer> {
        private final List<String> chunks;
        private Handler<Buffer> handler;
        private Handler<Void> endHandler;

        Source(String... chunks) {
            this.chunks = List.of(chunks);
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            chunks.forEach(c -> handler.handle(Buffer.buffer(c)));
            endHandler.handle(null);
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            this.endHandler = endHandler;
            return this;
        }
    }

    @Test
    void toldTheSizeBeforeTheEnd() {
        List<String> seen = new ArrayList<>();
        var body = new Upstream.BodyStream(new Source("ab", "cdé", ""), bytes -> seen.add("told " + bytes),
                Long.MAX_VALUE, null);
        body.handler(chunk -> seen.add("chunk " + chunk));
        body.endHandler(v -> seen.add("end"));
        body.resume();
        assertEquals(List.of("chunk ab", "chunk cdé", "chunk ", "told 6", "end"), seen);
    }

    @Test
    void stopsAtTheLimitWithoutEnding() {
        List<String> seen = new ArrayList<>();
        var body = new Upstream.BodyStream(new Source("abc", "defg"), bytes -> seen.add("told " + bytes), 5,
                () -> seen.add("overflow"));
        body.handler(chunk -> seen.add("chunk " + chunk));
        body.exceptionHandler(e -> seen.add(e.getClass().getSimpleName()));
        body.endHandler(v -> seen.add("end"));
        body.resume();
        assertEquals(List.of("chunk abc", "overflow", "BodyTooLarge"), seen.subList(0, 3));
    }
}
