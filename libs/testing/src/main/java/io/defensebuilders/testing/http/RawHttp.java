package io.defensebuilders.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP/1.1 over a plain socket, one connection per request ({@code Connection: close}), for tests that must say
 * exactly what goes on the wire: raw bytes in the request target, any header (or no {@code Host} at all), invalid
 * UTF-8 in bodies, a Content-Length the body never reaches, chunks without the last one, another loopback address
 * as the client's. The body is written by its own thread while the answer is read, so a server that answers 413 (or
 * 408) and hangs up in the middle of a body is still heard.
 */
public final class RawHttp {

    /** An answer: status, headers (names lowercase, the last value wins) and the whole body, up to a cap. */
    public record Answer(int status, Map<String, String> headers, byte[] body, long millis) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A request as it goes on the wire. {@code headers} are sent in order, as given (no Host added). */
    public record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

        /**
         * A call of the platform's API as a client makes it: the API key as a bearer token, JSON accepted, the body of
         * {@code contentType} (none when null) with its length, and one connection per call.
         */
        public static Request apiCall(String method, String target, String apiKey, String contentType, byte[] body) {
            List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
            headers.add(Map.entry("Host", "localhost"));
            headers.add(Map.entry("Authorization", "Bearer " + apiKey));
            headers.add(Map.entry("Accept", "application/json"));
            headers.add(Map.entry("Connection", "close"));
            if (contentType != null) {
                headers.add(Map.entry("Content-Type", contentType));
            }
            headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
            return new Request(method, target, headers, body);
        }

        public Request {
            Objects.requireNonNull(method);
            Objects.requireNonNull(target);
            headers = List.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }
    }

    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final String host;
    private final int port;
    private final Duration timeout;
    private final String from;

    /** Requests to {@code host:port}, each answered within {@code timeout} or failed. */
    public RawHttp(String host, int port, Duration timeout) {
        this(host, port, timeout, null);
    }

    /** The same, from the local address {@code from} (e.g. 127.0.0.2: another client, as the server sees it). */
    public RawHttp(String host, int port, Duration timeout, String from) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.from = from;
    }

    /** Sends {@code request} on a new connection and reads the answer (its body up to 4 MiB). */
    public Answer send(Request request) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 5000));
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(
                    (request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (Map.Entry<String, String> h : request.headers()) {
                head.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            out.flush();
            Thread writer = null;
            if (request.body().length > 0) {
                writer = Thread.ofVirtual().start(() -> {
                    try {
                        byte[] body = request.body();
                        for (int off = 0; off < body.length; off += 64 * 1024) {
                            out.write(body, off, Math.min(64 * 1024, body.length - off));
                        }
                        out.flush();
                    } catch (IOException hungUp) {
                        // the server answered before reading everything (413) and closed: the answer is what counts
                    }
                });
            }
            InputStream in = socket.getInputStream();
            long deadline = start + timeout.toNanos();
            Answer answer = read(in, deadline, request.method(), start);
            if (writer != null) {
                writer.interrupt();
            }
            return answer;
        }
    }

    private static Answer read(InputStream raw, long deadline, String method, long start) throws IOException {
        Deadlined in = new Deadlined(raw, deadline);
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed without an answer");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            if (status == 100) {
                continue;
            }
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked(in);
            } else if (headers.containsKey("content-length")) {
                body = exactly(in, Long.parseLong(headers.get("content-length")));
            } else {
                body = untilClose(in);
            }
            return new Answer(status, headers, body, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static byte[] chunked(Deadlined in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                break;
            }
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            if (n == 0) {
                for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                    // trailers: ignored
                }
                break;
            }
            byte[] chunk = exactly(in, n);
            if (out.size() < MAX_BODY) {
                out.writeBytes(chunk);
            }
            line(in);
        }
        return out.toByteArray();
    }

    private static byte[] exactly(Deadlined in, long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException("connection closed after " + (n - left) + " of " + n + " body bytes");
            }
            if (out.size() < MAX_BODY) {
                out.write(buf, 0, r);
            }
            left -= r;
        }
        return out.toByteArray();
    }

    private static byte[] untilClose(Deadlined in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int r = in.read(buf, 0, buf.length); r >= 0; r = in.read(buf, 0, buf.length)) {
            if (out.size() < MAX_BODY) {
                out.write(buf, 0, r);
            }
        }
        return out.toByteArray();
    }

    private static String line(Deadlined in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() > 64 * 1024) {
                throw new IOException("header line longer than 64 KiB");
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A buffered stream that fails once the request's deadline has passed, however the bytes trickle in. */
    private static final class Deadlined {
        private final InputStream in;
        private final long deadline;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int len;

        Deadlined(InputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        private boolean fill() throws IOException {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("no complete answer within the request timeout");
            }
            len = in.read(buf);
            pos = 0;
            return len > 0;
        }

        int read() throws IOException {
            if (pos >= len && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        int read(byte[] b, int off, int n) throws IOException {
            if (pos >= len && !fill()) {
                return -1;
            }
            int r = Math.min(n, len - pos);
            System.arraycopy(buf, pos, b, off, r);
            pos += r;
            return r;
        }
    }
}
