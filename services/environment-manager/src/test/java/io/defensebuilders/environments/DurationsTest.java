package io.defensebuilders.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec's durations (ttl, idle timeout), without the API around them. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({ "90s, PT1M30S", "90m, PT1H30M", "8h, PT8H", "1h30m, PT1H30M", "7d, PT168H", "1d12h, PT36H",
            "1h0m, PT1H", "999999s, PT277H46M39S" })
    void partsAddUp(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "1", "h", "1x", "1H", "-1h", "1.5h", "1h 30m", "PT1H", "1000000s", "1h30" })
    void whatIsNotADurationSaysWhatItExpects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") && e.getMessage().contains("90m"), e.getMessage());
    }

    @Test
    void zeroIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("0m"));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void nullIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }
}
