package io.defensebuilders.billing.service;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.defensebuilders.billing.Aggregation;

/** Request bodies of the meter endpoints. */
public final class MeterCommands {

    /** Meter keys: lowercase words joined by dots, dashes or underscores, at most 64 characters. */
    public static final String KEY_REGEX = "[a-z0-9][a-z0-9._-]{0,63}";
    /** Event meter names, as producers write them in usage.v1's {@code meter}. */
    public static final String EVENT_METER_REGEX = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    public static final String ATTRIBUTE_REGEX = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}";
    public static final int MAX_GROUP_BY = 10;

    private MeterCommands() {
    }

    @Schema(name = "NewMeter", description = "A meter: which usage.v1 events it aggregates, how, and grouped by what")
    public record NewMeter(
            @NotBlank @Pattern(regexp = KEY_REGEX, message = "lowercase letters, digits, '.', '-', '_', at most 64") @Schema(description = "Name used by usage queries; unique", example = "api.bytes-out") String key,
            @Size(max = 1000) String description,
            @NotBlank @Pattern(regexp = EVENT_METER_REGEX, message = "letters, digits, '.', ':', '-', '_', at most 128") @Schema(description = "The usage.v1 `meter` value of the events to aggregate", example = "api.call") String eventMeter,
            @NotNull @Schema(description = "COUNT, SUM, MAX, UNIQUE_COUNT or LATEST") Aggregation aggregation,
            @Size(max = 128) @Schema(description = "Where the value is read: `quantity`, `attributes.<key>`, or `subject` (UNIQUE_COUNT only). Absent for COUNT, required otherwise", example = "attributes.bytesOut") String valueProperty,
            @Size(max = MAX_GROUP_BY) @Schema(description = "Attribute keys to group by", example = "[\"route\"]") List<@NotNull @Pattern(regexp = ATTRIBUTE_REGEX, message = "attribute keys are letters, digits, '_', '.', '-', at most 64") String> groupBy) {
    }

    /**
     * Changes to a meter. Description and group-by may change; event meter, aggregation and value property shape the
     * stored aggregates and may not (sending them with their current value is fine).
     */
    @Schema(name = "MeterChanges")
    public record MeterChanges(
            @Size(max = 1000) String description,
            @Size(max = MAX_GROUP_BY) List<@NotNull @Pattern(regexp = ATTRIBUTE_REGEX, message = "attribute keys are letters, digits, '_', '.', '-', at most 64") String> groupBy,
            @Schema(description = "Immutable; must equal the current value when sent") String eventMeter,
            @Schema(description = "Immutable; must equal the current value when sent") Aggregation aggregation,
            @Schema(description = "Immutable; must equal the current value when sent") String valueProperty) {
    }
}
