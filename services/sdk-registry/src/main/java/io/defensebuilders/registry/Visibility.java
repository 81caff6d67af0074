package io.defensebuilders.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who sees an SDK: every authenticated caller, or only its own tenant (everyone else gets 404). */
public enum Visibility {
    @JsonProperty("public")
    PUBLIC,
    @JsonProperty("private")
    PRIVATE;

    public String dbValue() {
        return this == PUBLIC ? "public" : "private";
    }

    public static Visibility fromDb(String value) {
        return "public".equals(value) ? PUBLIC : PRIVATE;
    }
}
