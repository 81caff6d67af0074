package io.defensebuilders.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 written by hand, for what ordinary clients will not send: no Host, a body that stops, chunks past a limit. */
final class RawHttp {

    private RawHttp() {
    }

    /** The status code of a raw answer. */
    static int status(String answer) {
        return answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    /**
     * Sends {@code head} and then, when {@code chunkedBytes} is positive, that many bytes of chunked body in 64 KiB
     * chunks (without the last chunk) as long as the server reads them; returns what the server answered until it
     * closed the connection or stayed silent for 10 s.
     */
    static String exchange(int port, String head, long chunkedBytes) throws IOException {
        return exchange("127.0.0.1", port, head, chunkedBytes);
    }

    /** The same, from another loopback address ({@code from}, e.g. 127.0.0.2): another client, as the server sees it. */
    static String exchange(String from, int port, String head, long chunkedBytes) throws IOException {
        try (Socket socket = new Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
                java.net.InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (long sent = 0; sent < chunkedBytes; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (SocketException e) {
                // the server answered and closed before taking the rest: read what it said
            }
            return read(socket.getInputStream());
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd > 0 && complete(text, headEnd)) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException | SocketException e) {
            // silence or a reset after the answer: what came is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** Whether the answer's body is all there, by its Content-Length. */
    private static boolean complete(String text, int headEnd) {
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                int length = Integer.parseInt(line.substring(15).trim());
                return text.length() - headEnd - 4 >= length;
            }
        }
        return false;
    }
}
