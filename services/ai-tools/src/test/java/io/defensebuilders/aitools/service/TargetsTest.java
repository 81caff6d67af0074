package io.defensebuilders.aitools.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.defensebuilders.testing.config.ConfigStub;

/** Where notifications may not go (SSRF), and what an operator may open. */
class TargetsTest {

    private static Targets targets(List<String> allowed, boolean allowHttp) {
        AiToolsConfig.Notifications notifications = ConfigStub.of(AiToolsConfig.Notifications.class,
                Map.of("allowedNetworks", allowed.isEmpty() ? Optional.empty() : Optional.of(allowed), "allowHttp",
                        allowHttp));
        return new Targets(ConfigStub.of(AiToolsConfig.class, Map.of("notifications", notifications)));
    }

    @Test
    void privateLoopbackLinkLocalAndReservedAddressesAreRefused() throws Exception {
        Targets targets = targets(List.of(), false);
        for (String address : List.of("10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "127.0.0.1", "127.8.8.8", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1",
                "::", "fe80::1", "fd00::1", "fc00::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1",
                "ff02::1")) {
            assertFalse(targets.permitted(InetAddress.getByName(address)), address);
        }
        for (String address : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111")) {
            assertTrue(targets.permitted(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void anOperatorMayAllowAnInternalNetwork() throws Exception {
        Targets targets = targets(List.of("10.20.0.0/16", "fd12::/16"), false);
        assertTrue(targets.permitted(InetAddress.getByName("10.20.3.4")));
        assertFalse(targets.permitted(InetAddress.getByName("10.21.3.4")));
        assertTrue(targets.permitted(InetAddress.getByName("fd12::5")));
        assertFalse(targets.permitted(InetAddress.getByName("169.254.169.254")));
    }

    @Test
    void onlyHttpsUrlsWithoutCredentialsAreTargets() {
        Targets targets = targets(List.of(), false);
        assertEquals(new Targets.Target("hooks.slack.com", 443, true, "/services/T0/B0/x?a=1"),
                targets.parse("url", "https://hooks.slack.com/services/T0/B0/x?a=1"));
        assertEquals(new Targets.Target("::1", 8443, true, "/"), targets.parse("url", "https://[::1]:8443"));
        for (String bad : List.of("http://example.com/x", "ftp://example.com/x", "https://user:pw@example.com/x",
                "https:///nohost", "not a url", "file:///etc/passwd", "gopher://example.com")) {
            ProblemException e = assertThrows(ProblemException.class, () -> targets.parse("url", bad), bad);
            assertEquals(400, e.status(), bad);
        }
        assertEquals(80, targets(List.of(), true).parse("url", "http://example.com/x").port());
        // a host that resolves to a forbidden address is refused at resolution, as at every send
        assertThrows(Targets.Forbidden.class, () -> targets.resolve(targets.parse("url", "https://127.0.0.1/x")));
        assertThrows(Targets.Forbidden.class, () -> targets.resolve(targets.parse("url", "https://[::ffff:7f00:1]/x")));
    }
}
