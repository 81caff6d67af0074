package io.defensebuilders.platform.problem;

/** The kinds of problem every service shares. Services add their own slugs through {@link ProblemException}. */
public enum ProblemType {
    BAD_REQUEST(400, "bad-request", "The request is malformed"),
    VALIDATION(400, "validation", "The request has invalid fields"),
    UNAUTHORIZED(401, "unauthorized", "Authentication is required"),
    FORBIDDEN(403, "forbidden", "The caller may not do this"),
    NOT_FOUND(404, "not-found", "No such resource"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this resource"),
    NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable representation"),
    CONFLICT(409, "conflict", "The request conflicts with the current state"),
    GONE(410, "gone", "The resource is gone"),
    PRECONDITION_FAILED(412, "precondition-failed", "A precondition failed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported content type"),
    UNPROCESSABLE(422, "unprocessable", "The request is well-formed but cannot be processed"),
    TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests"),
    INTERNAL(500, "internal", "Internal error"),
    UNAVAILABLE(503, "unavailable", "Service unavailable");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return Problem.TYPE_BASE + slug;
    }

    /** The shared type for an HTTP status, or {@link #BAD_REQUEST} / {@link #INTERNAL} for other 4xx / 5xx. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != VALIDATION) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
