package io.defensebuilders.testing.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An upload that announces a body it never finishes sending, as a client does whose upload the server refuses early:
 * for checking that the server answers at once and then closes the connection instead of taking in the rest.
 */
public final class PartialUpload {

    private PartialUpload() {
    }

    /**
     * Sends {@code method target} over HTTP/1.1 to localhost:{@code port} with {@code headers} (lines without CRLF), a
     * {@code Content-Length} of {@code announced} and only {@code sent} zero bytes of it; returns the answer's status
     * line once the server has closed the connection.
     *
     * @throws java.net.SocketTimeoutException when the server keeps the connection open past {@code timeout}
     */
    public static String statusThenClose(int port, String method, String target, long announced, int sent,
            Duration timeout, String... headers) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            head.append("Content-Length: ").append(announced).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sent]);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            while (in.read() != -1) {
                // the rest of the answer, until the server closes
            }
            return status;
        }
    }
}
