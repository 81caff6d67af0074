package io.defensebuilders.testing.quarkus;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The port of the management interface (health, metrics) of the Quarkus application under test: tests run it on a
 * port of its own choosing ({@code %test.quarkus.management.test-port=0}), and Quarkus publishes the one it took.
 */
public final class ManagementPort {

    private ManagementPort() {
    }

    /** The management port of the running test application. */
    public static int get() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        if (port <= 0) {
            throw new IllegalStateException("the management interface has not started (quarkus.management.test-port "
                    + port + ")");
        }
        return port;
    }
}
