package io.defensebuilders.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** status.phase is a Phase in Java and the same plain string in JSON (and so in the CRD) as before. */
class EnvironmentStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thePhaseIsWrittenAsItsName() throws Exception {
        EnvironmentStatus status = new EnvironmentStatus();
        status.phase(Phase.Sleeping);
        status.message = "asleep";
        assertEquals("{\"phase\":\"Sleeping\",\"conditions\":[],\"endpoints\":[],\"sdks\":[],\"message\":\"asleep\"}",
                JSON.writeValueAsString(status));
    }

    @Test
    void thePhaseIsReadFromItsName() throws Exception {
        EnvironmentStatus status = JSON.readValue("{\"phase\":\"Ready\"}", EnvironmentStatus.class);
        assertEquals(Phase.Ready, status.phase());
        assertTrue(status.is(Phase.Ready));
        assertFalse(status.is(Phase.Sleeping));
    }

    @Test
    void noPhaseOrAnUnknownOneIsNone() throws Exception {
        assertNull(new EnvironmentStatus().phase());
        EnvironmentStatus handWritten = JSON.readValue("{\"phase\":\"Running\"}", EnvironmentStatus.class);
        assertNull(handWritten.phase());
        assertFalse(handWritten.is(Phase.Ready));
        handWritten.phase(null);
        assertEquals("{\"conditions\":[],\"endpoints\":[],\"sdks\":[]}", JSON.writeValueAsString(handWritten));
    }
}
