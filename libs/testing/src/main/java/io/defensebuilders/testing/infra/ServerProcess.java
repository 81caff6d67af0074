package io.defensebuilders.testing.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A server running as a child process: output appended to a log file, pid written to a pid file so a later
 * command (`platform down`) can find it, and stopped with SIGTERM, then SIGKILL after a grace period.
 */
public final class ServerProcess {

    private final String name;
    private final ProcessHandle handle;
    /** The process this JVM started; null for one found by its pid file, whose exit code only its parent learns. */
    private final Process process;
    private final Path logFile;
    private final Path pidFile;
    private volatile String stopSignal = "TERM";

    private ServerProcess(String name, ProcessHandle handle, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.handle = handle;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code command}. With {@code detached} the process gets its own session (setsid), so it outlives
     * the JVM and the terminal that started it; otherwise it is stopped when this JVM exits.
     */
    public static ServerProcess start(String name, List<String> command, Path logFile, Path pidFile,
            Map<String, String> environment, boolean detached) {
        return start(name, command, logFile, pidFile, environment, detached, null);
    }

    /** As {@link #start(String, List, Path, Path, Map, boolean)}, in {@code workDir} (null: ours). */
    public static ServerProcess start(String name, List<String> command, Path logFile, Path pidFile,
            Map<String, String> environment, boolean detached, Path workDir) {
        List<String> full = new ArrayList<>();
        if (detached) {
            full.add("setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServerProcess server = new ServerProcess(name, process.toHandle(), process, logFile, pidFile);
            if (pidFile != null) {
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, Long.toString(process.pid()));
            }
            if (!detached) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(10))));
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", full), e);
        }
    }

    /** The process recorded in {@code pidFile}, if that process is still alive. */
    public static Optional<ServerProcess> fromPidFile(String name, Path pidFile, Path logFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(handle -> new ServerProcess(name, handle, null, logFile, pidFile));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return handle.pid();
    }

    /** Its resident memory now ({@code VmRSS} of /proc), in MiB; -1 where there is no /proc or it has exited. */
    public long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + handle.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux, or gone
        }
        return -1;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Its exit code once it has exited, if this JVM started it; empty while it runs or for one found by its pid file. */
    public OptionalInt exitCode() {
        if (process == null || handle.isAlive()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Fails with the tail of the log when the process has already exited: the usual reason a wait times out. */
    public void requireAlive() {
        if (!handle.isAlive()) {
            throw new IllegalStateException(name + " exited during startup; last lines of " + logFile + ":\n" + tail(40));
        }
    }

    /** The signal {@link #stop(Duration)} sends: PostgreSQL wants INT for a fast shutdown (TERM waits for clients). */
    public ServerProcess stopWith(String signal) {
        this.stopSignal = signal;
        return this;
    }

    /** Sends the stop signal (TERM unless {@link #stopWith} said otherwise), waits, then SIGKILL. */
    public void stop(Duration grace) {
        stop(stopSignal, grace);
    }

    /** Sends {@code signal}, waits up to {@code grace}, then SIGKILL. Removes the pid file. */
    public void stop(String signal, Duration grace) {
        if (handle.isAlive()) {
            if ("TERM".equals(signal)) {
                handle.destroy();
            } else {
                signal(signal);
            }
            try {
                handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception timeoutOrInterrupt) {
                handle.destroyForcibly();
                try {
                    handle.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the kernel reaps it; nothing more to do here
                }
            }
        }
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // a stale pid file is recognised as stale by fromPidFile
            }
        }
    }

    /**
     * Freezes the process and every process it started (SIGSTOP; PostgreSQL serves each connection from a child):
     * to the kernel they are alive and their sockets accept, but they answer nothing.
     */
    public void pause() {
        signalTree("STOP");
    }

    /** Lets a {@link #pause() paused} process and its children go on (SIGCONT). */
    public void resume() {
        signalTree("CONT");
    }

    /**
     * Kills the process and every process it started (SIGKILL), as a crash or an OOM kill would, and waits for it to
     * be gone. Leaves the pid file: nobody stopped it cleanly.
     */
    public void kill() {
        List<ProcessHandle> all = new ArrayList<>(handle.descendants().toList());
        signalTree("KILL");
        all.add(handle);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(name + " (pid " + p.pid() + ") survived SIGKILL", e);
            }
        }
    }

    private void signalTree(String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(handle.pid())));
        handle.descendants().forEach(child -> command.add(Long.toString(child.pid())));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code signal} (a name without SIG, e.g. {@code KILL}) to the process. */
    public void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(handle.pid())).start().waitFor();
        } catch (IOException e) {
            handle.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
