package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL refuses to run as root. When we are root, its commands run through setpriv as an unprivileged
 * account ({@code DBP_POSTGRES_OS_USER}, else {@code postgres} if it exists, else {@code nobody}) that owns the
 * data directory.
 */
final class RunAs {

    private RunAs() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The account servers run as, or null when we are not root and run them as ourselves. */
    static String unprivilegedUser() {
        if (!isRoot()) {
            return null;
        }
        String configured = System.getenv("DBP_POSTGRES_OS_USER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return userExists("postgres") ? "postgres" : "nobody";
    }

    static List<String> wrap(List<String> command) {
        String user = unprivilegedUser();
        if (user == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroup(user),
                "--clear-groups"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives the unprivileged account the directory (recursively) when we are root. */
    static void handOver(Path dir) {
        String user = unprivilegedUser();
        if (user == null) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
            var owner = lookup.lookupPrincipalByName(user);
            var group = lookup.lookupPrincipalByGroupName(primaryGroup(user));
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(owner);
                    view.setGroup(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not give " + dir + " to " + user, e);
        }
    }

    private static boolean userExists(String user) {
        return run("id", "-u", user) != null;
    }

    private static String primaryGroup(String user) {
        String group = run("id", "-gn", user);
        return group == null ? user : group;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
