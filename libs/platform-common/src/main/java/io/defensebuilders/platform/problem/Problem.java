package io.defensebuilders.platform.problem;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details document ({@code application/problem+json}). {@code type} is a stable URI per kind
 * of problem, so clients branch on it, never on {@code title} or {@code detail}.
 *
 * @param type stable URI of the problem kind, {@value #TYPE_BASE} + slug
 * @param title short summary of the problem kind
 * @param status HTTP status code
 * @param detail what went wrong this time, for a human
 * @param instance the request path
 * @param requestId the request id, to find the logs
 * @param errors one entry per invalid field, for validation problems
 * @param extensions further members specific to the problem kind
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
        List<FieldError> errors, @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://defensebuilders.io/problems/";
    /** Extension member that also becomes the answer's {@code Retry-After} header (429, 503). */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    /** One invalid input field: where it is (JSON path or parameter name) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    @JsonAnyGetter
    public Map<String, Object> anyExtensions() {
        return extensions == null ? Map.of() : extensions;
    }

    /** The {@code Retry-After} value this problem asks for, or null. */
    public String retryAfter() {
        Object seconds = extensions == null ? null : extensions.get(RETRY_AFTER_SECONDS);
        return seconds == null ? null : seconds.toString();
    }

    public Problem withInstance(String instance, String requestId) {
        return new Problem(type, title, status, detail, instance, requestId, errors, extensions);
    }
}
