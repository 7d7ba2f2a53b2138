package dev.corebank.base.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail. {@code type} is a stable URI per kind of problem that clients can switch on;
 * {@code reason} carries the ledger's rejection reason where there is one; {@code errors} lists each
 * invalid field of a request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String reason,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_BASE = "https://corebank.dev/problems/";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null, null);
    }

    public Problem withReason(String reason) {
        return new Problem(type, title, status, detail, instance, reason, errors);
    }

    public Problem withErrors(List<FieldError> errors) {
        return new Problem(type, title, status, detail, instance, reason, errors);
    }

    public Problem at(String instance) {
        return new Problem(type, title, status, detail, instance, reason, errors);
    }

    public record FieldError(String field, String message) {
    }
}
