package io.defensebuilders.testing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Free ports come from below the kernel's ephemeral range, where no outgoing connection takes them meanwhile. */
class PortsTest {

    @Test
    void freePortsAreBelowTheEphemeralRangeAndBindable() throws Exception {
        int ephemeral = Ports.ephemeralLow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertTrue(port >= 20_000 && port < ephemeral, port + " is below " + ephemeral);
            seen.add(port);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
        assertEquals(50, seen.size(), "never the same port twice in one JVM");
    }

    @Test
    void aPortHandedOutIsNotHandedOutAgainEvenWhenNothingListensOnIt() {
        // a fleet takes its HTTP and management ports before starting anything: none may be given twice
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            assertTrue(seen.add(Ports.free()), "handed out twice after " + i);
        }
    }

    @Test
    void aTakenPortIsNotHandedOut() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Ports.free()));
            for (int i = 0; i < 200; i++) {
                assertTrue(Ports.free() != held.getLocalPort());
            }
        }
    }
}
