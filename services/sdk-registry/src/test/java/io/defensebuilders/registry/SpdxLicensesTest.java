package io.defensebuilders.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** SPDX license expressions against the official list shipped by the build. */
class SpdxLicensesTest {

    private final SpdxLicenses licenses = new SpdxLicenses(new ObjectMapper());

    @Test
    void canonicalisesValidExpressions() {
        assertEquals(Optional.of("MIT"), licenses.canonical("mit"));
        assertEquals(Optional.of("Apache-2.0 OR MIT"), licenses.canonical("apache-2.0 or MIT"));
        assertEquals(Optional.of("GPL-2.0-or-later WITH Classpath-exception-2.0"),
                licenses.canonical("GPL-2.0-or-later WITH classpath-exception-2.0"));
        assertEquals(Optional.of("(MIT OR Apache-2.0) AND BSD-3-Clause"),
                licenses.canonical("(MIT OR Apache-2.0) AND BSD-3-Clause"));
        assertEquals(Optional.of("LicenseRef-acme-eula"), licenses.canonical("LicenseRef-acme-eula"));
        assertEquals(Optional.of("EPL-1.0+"), licenses.canonical("EPL-1.0+"));
        assertTrue(licenses.listVersion().matches("\\d+\\.\\d+(\\.\\d+)?"), licenses.listVersion());
    }

    @Test
    void refusesUnknownIdsAndBrokenGrammar() {
        for (String bad : List.of("", "MIT-ish", "MIT AND", "OR MIT", "(MIT", "MIT)", "MIT WITH MIT", "MIT Apache-2.0",
                "Proprietary")) {
            assertEquals(Optional.empty(), licenses.canonical(bad), bad);
        }
    }
}
