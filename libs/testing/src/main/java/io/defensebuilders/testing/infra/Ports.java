package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback ports: a free one to listen on, and whether something already listens on one. */
public final class Ports {

    private Ports() {
    }

    /** Where {@link #free} looks: above the well-known and local-platform ports (8080-8186, 5432, 6379, 9092). */
    private static final int LOWEST = 20_000;
    /**
     * Every port handed out in this JVM: a caller that takes several before starting anything (a test fleet's HTTP and
     * management ports) never gets the same one twice, which happened once (two processes, one port).
     */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free on loopback now, for a process started a moment later to listen on. Taken below the kernel's
     * ephemeral range ({@code net.ipv4.ip_local_port_range}, 32768-60999 by default) where it can: a port the kernel
     * hands out on its own (an outgoing connection's source port, a {@code bind(0)}) may be taken by any client in the
     * moment between this check and the listener's bind, which made a test fleet's service fail to start ("port in
     * use") once; below the range only someone naming the port can take it. Random, so test JVMs that ask at once seldom
     * pick the same one; never one this JVM handed out before.
     */
    public static int free() {
        int highest = ephemeralLow() - 1;
        if (highest - LOWEST >= 1_000) {
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = random.nextInt(LOWEST, highest + 1);
                if (GIVEN.contains(port)) {
                    continue;
                }
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                } catch (IOException taken) {
                    continue; // in use: another
                }
                if (GIVEN.add(port)) {
                    return port;
                }
            }
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                if (GIVEN.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on loopback", e);
            }
        }
        throw new IllegalStateException("no free port on loopback that this JVM has not handed out");
    }

    /** The first port of the kernel's ephemeral range (32768, Linux's default, where it cannot be read). */
    static int ephemeralLow() {
        try {
            // read as a stream: procfs reports a size of 0, and Files.readString then returned the first byte alone
            String range;
            try (java.io.InputStream in = java.nio.file.Files
                    .newInputStream(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                range = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            }
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    public static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
