package io.defensebuilders.testing.fleet;

import java.util.function.Supplier;

import io.defensebuilders.testing.infra.ServerProcess;

/**
 * One of a {@link Fleet}'s own PostgreSQL, Redis or Kafka, with the faults a chaos test gives it: frozen
 * (SIGSTOP/SIGCONT), killed (SIGKILL), and started again on the same port and data directory.
 */
public final class InfraServer {

    private final String name;
    private final int port;
    private final Supplier<ServerProcess> starter;
    private volatile ServerProcess process;

    InfraServer(String name, int port, Supplier<ServerProcess> starter) {
        this.name = name;
        this.port = port;
        this.starter = starter;
        this.process = starter.get();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public ServerProcess process() {
        return process;
    }

    /** Freezes it and its children: connections are accepted and answered by nobody. */
    public void pause() {
        process.pause();
    }

    public void resume() {
        process.resume();
    }

    /** SIGKILL to it and its children, as a crash or an OOM kill would; returns once they are gone. */
    public void kill() {
        process.kill();
    }

    /** Starts it again on the same port and data directory, and returns once it answers. */
    public void restart() {
        process = starter.get();
    }

    void stop() {
        if (process.isAlive()) {
            process.resume(); // a test that failed while it was frozen
        }
        process.stop(java.time.Duration.ofSeconds(20));
    }
}
