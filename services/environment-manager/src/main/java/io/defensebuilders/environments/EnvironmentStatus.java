package io.defensebuilders.environments;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** What the operator observed and did. Timestamps are RFC 3339 strings, as Kubernetes writes them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentStatus {

    /*
     * Text on the wire (the CRD keeps a plain string, as a Java enum would add an enum list to the schema); code reads
     * and writes it only as a Phase, through phase() and phase(Phase).
     */
    @JsonProperty
    @JsonPropertyDescription("Pending, Provisioning, Ready, Sleeping, Deleting or Failed.")
    private String phase;

    @JsonPropertyDescription("Valid, SdksResolved, Provisioned and Ready, Kubernetes-style.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("The namespace the environment runs in.")
    public String namespace;

    @JsonPropertyDescription("In-cluster URLs of the SDKs' services.")
    public List<Endpoint> endpoints = new ArrayList<>();

    @JsonPropertyDescription("The SDK versions and images the environment runs (pinned per generation).")
    public List<ResolvedSdk> sdks = new ArrayList<>();

    @JsonPropertyDescription("When the environment started (the ttl counts from here).")
    public String startedAt;

    @JsonPropertyDescription("When the ttl deletes the environment.")
    public String expiresAt;

    @JsonPropertyDescription("The expiresAt an environment.expiring event was sent for (once per expiry time).")
    public String expiryWarnedFor;

    @JsonPropertyDescription("Since when it is Ready (environment.minutes count from here); absent when not Ready.")
    public String readySince;

    @JsonPropertyDescription("Since when it sleeps; absent when awake.")
    public String sleepingSince;

    @JsonPropertyDescription("Last activity (creation or wake); idleTimeout counts from here.")
    public String lastActivityAt;

    @JsonPropertyDescription("A human-readable account of the phase.")
    public String message;

    /** The phase; null when none is set yet, or when the status names no Phase (hand-written). */
    public Phase phase() {
        return Phase.of(phase);
    }

    /** Sets the phase (null clears it). */
    public void phase(Phase value) {
        this.phase = value == null ? null : value.name();
    }

    /** Whether the phase is {@code value}. */
    public boolean is(Phase value) {
        return value != null && value.name().equals(phase);
    }

    /** An SDK service reachable inside the cluster. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Endpoint {
        public String sdk;
        public String name;
        public String url;

        public Endpoint() {
        }

        public Endpoint(String sdk, String name, String url) {
            this.sdk = sdk;
            this.name = name;
            this.url = url;
        }
    }

    /** An SDK as the registry resolved it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ResolvedSdk {
        public String name;
        public String version;
        @JsonPropertyDescription("image@sha256:digest")
        public String image;

        public ResolvedSdk() {
        }

        public ResolvedSdk(String name, String version, String image) {
            this.name = name;
            this.version = version;
            this.image = image;
        }
    }
}
