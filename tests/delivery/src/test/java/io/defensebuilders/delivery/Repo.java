package io.defensebuilders.delivery;

import java.nio.file.Path;

/** Where the repository is: surefire passes its root as {@code dbp.repo}. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("dbp.repo", "../..")).toAbsolutePath().normalize();

    private Repo() {
    }
}
