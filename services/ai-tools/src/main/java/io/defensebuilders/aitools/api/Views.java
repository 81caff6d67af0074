package io.defensebuilders.aitools.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the tools answer (their {@code outputSchema} and {@code structuredContent}): the platform's REST answers, read
 * into these records. A member the service left out stays out (never {@code null}), so every answer matches its
 * schema. Money and quantities are exact decimal strings, as billing writes them.
 */
public final class Views {

    private Views() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sdk(String name, String title, String description, String publisher, String license,
            String homepage, String repository, List<String> tags, List<String> categories,
            @JsonPropertyDescription("public or private (visible to its tenant only)") String visibility,
            String latestVersion, Long downloads) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SdkPage(List<Sdk> items,
            @JsonPropertyDescription("pass as cursor for the next page; absent on the last page") String nextCursor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SdkVersion(String sdk, String version, Boolean prerelease, String image, String imageDigest,
            Boolean yanked, String yankReason, Boolean deprecated, String deprecationMessage, String publishedBy,
            String publishedAt,
            @JsonPropertyDescription("the artifact's download path, size and integrity") Map<String, Object> artifact) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SdkVersions(String sdk, List<SdkVersion> versions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resolution(String name,
            @JsonPropertyDescription("the highest version satisfying the range") String version, String image,
            String imageDigest, String integrity, Boolean yanked, String deprecationMessage) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(String name, String url) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Environment(String name, String owner, String displayName,
            @JsonPropertyDescription("SDKs asked for: name and version range") List<Map<String, Object>> sdks,
            String template, String network, String ttl, String idleTimeout, Boolean persistent, Boolean sleeping,
            @JsonPropertyDescription("Pending, Provisioning, Ready, Sleeping, Failed, Expired or Deleting") String phase,
            String message, String namespace, String createdAt, String expiresAt, List<Endpoint> endpoints,
            @JsonPropertyDescription("the versions the SDK ranges resolved to") List<Map<String, Object>> resolvedSdks) {

        /** An environment whose deletion was accepted (the API answers 202 without a body). */
        static Environment deleting(String name) {
            return new Environment(name, null, null, null, null, null, null, null, null, null, "Deleting", null, null,
                    null, null, null, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentList(List<Environment> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kubeconfig(String environment,
            @JsonPropertyDescription("kubeconfig YAML scoped to the environment's namespace") String kubeconfig) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(String time, Double minutesSinceEpoch,
            @JsonPropertyDescription("km, in the answer's frame") List<Double> position,
            @JsonPropertyDescription("km/s, in the answer's frame") List<Double> velocity,
            @JsonPropertyDescription("WGS-84 latitude, longitude (degrees) and altitude (km), when asked") Map<String, Object> geodetic) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Propagation(Integer noradId, String elementSetId, String epoch,
            @JsonPropertyDescription("TEME, GCRF or ITRF") String frame, List<State> states) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ingest(Integer received, Integer stored, Integer duplicates,
            @JsonPropertyDescription("catalog (platform admins) or tenant (the caller's private overlay)") String scope,
            @JsonPropertyDescription("each element set read: id, noradId, epoch, stored, current, scope") List<Map<String, Object>> elementSets) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Screening(String id,
            @JsonPropertyDescription("queued, running, done, failed or cancelled") String status,
            @JsonPropertyDescription("percent done") Integer progress, List<Integer> primaries, String windowStart,
            String windowEnd, Double windowDays, Double thresholdKm, Integer objects, Integer conjunctionCount,
            String error, String createdAt, String finishedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Conjunction(String id,
            @JsonPropertyDescription("time of closest approach") String tca, Double missDistanceKm,
            Double relativeSpeedKmS, Double radialKm, Double inTrackKm, Double crossTrackKm,
            @JsonPropertyDescription("probability of collision") Double probability,
            @JsonPropertyDescription("noradId, name, elementSetEpoch, position, velocity") Map<String, Object> primary,
            @JsonPropertyDescription("noradId, name, elementSetEpoch, position, velocity") Map<String, Object> secondary) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScreeningResult(Screening screening,
            @JsonPropertyDescription("the closest conjunctions found (at most 20; all of them: the screening's resource)") List<Conjunction> conjunctions,
            @JsonPropertyDescription("true when the tool stopped following the screening before it finished") Boolean stillRunning) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ccdm(String assessmentId, Integer noradId, String objectName, String objectType, String epoch,
            String assessedAt,
            @JsonPropertyDescription("MANEUVERING, DECEPTION, CONCEALMENT or NONE") String ccdmType,
            @JsonPropertyDescription("NONE, LOW, MEDIUM, HIGH or CRITICAL") String threatLevel, Double confidence,
            @JsonPropertyDescription("each indicator: type, ccdmType, confidence, summary, evidence") List<Map<String, Object>> indicators) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Maneuver(String id, Integer noradId, String objectName,
            @JsonPropertyDescription("the detector's rule, e.g. IN_TRACK, PLANE_CHANGE") String maneuverType,
            String regime, String windowStart, String epoch,
            @JsonPropertyDescription("estimated delta-v, m/s: total and components") Map<String, Object> deltaV,
            Double confidence, String burnTime, String detectedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ManeuverPage(List<Maneuver> items, String nextCursor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UsageRow(String windowStart, String windowEnd, Map<String, String> groupBy,
            @JsonPropertyDescription("exact decimal") String value) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Usage(String meter, String aggregation, String tenant, String from, String to, String windowSize,
            List<String> groupBy, List<UsageRow> data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Invoice(String id, String number,
            @JsonPropertyDescription("DRAFT, ISSUED or VOID") String status, String currency,
            @JsonPropertyDescription("start and end of the billed period") Map<String, Object> period,
            @JsonPropertyDescription("exact decimal") String total,
            @JsonPropertyDescription("exact decimal: sum of the credit notes against it") String credited,
            @JsonPropertyDescription("line items: description, quantity, unit price, amount (exact decimals)") List<Map<String, Object>> lines,
            String issuedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Invoices(List<Invoice> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AnalyticsRow(List<String> dimensions, List<Double> metrics) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Analytics(List<AnalyticsRow> results,
            @JsonPropertyDescription("tenant, rollup, total_rows") Map<String, Object> meta,
            @JsonPropertyDescription("the query as understood, relative ranges resolved") Map<String, Object> query) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tensor(String name, String datatype, List<Long> shape, List<Object> data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelVersion(String version, String sha256, Long sizeBytes, List<Tensor> inputs, List<Tensor> outputs,
            Boolean loaded) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(String name, String tenant, String description, String visibility, String defaultVersion,
            List<ModelVersion> versions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Models(List<Model> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Inference(@JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") String modelVersion, String id, List<Tensor> outputs) {
    }
}
