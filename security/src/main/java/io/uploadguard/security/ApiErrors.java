package io.uploadguard.security;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every refusal of both services as {@code {error, message}} JSON: an {@link ApiException} as it
 * says, and what Spring MVC refuses on its own (unreadable body, wrong media type, method or path)
 * with the same stable codes, instead of Boot's error page.
 */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    static final Duration LEDGER_RETRY_AFTER = Duration.ofSeconds(5);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> refused(ApiException e) {
        return answer(e);
    }

    /** Also where a body cut off by {@link RequestBodyLimit} while it was read ends up. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        ApiException cause = refusalIn(e);
        return answer(cause != null ? cause : ApiException.malformed("the request body could not be read"));
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ApiError> badParameter(Exception e) {
        return answer(ApiException.malformed("a query parameter is missing or not of the expected type"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(ApiException.of(415, "unsupported_media_type", "send the body as application/json"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return answer(ApiException.of(405, "method_not_allowed", "method " + e.getMethod() + " is not supported here"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
        return answer(ApiException.notFound("no such resource"));
    }

    /**
     * The ledger cannot be reached (PostgreSQL down, no pooled connection within the pool's
     * timeout): a client may retry, and nothing was booked, since each booking is one transaction.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ApiError> ledgerUnavailable(DataAccessException e) {
        log.warn(
                "ledger unavailable, answered 503: {}", e.getMostSpecificCause().toString());
        return answer(ApiException.of(
                        503,
                        "ledger_unavailable",
                        "the upload ledger cannot be reached just now; nothing was reserved or changed, retry shortly")
                .retryAfter(LEDGER_RETRY_AFTER));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        ApiException cause = refusalIn(e);
        if (cause != null) {
            return answer(cause);
        }
        log.error("unexpected error while handling a request", e);
        return answer(ApiException.of(
                500,
                "internal_error",
                "something went wrong on our side; nothing was reserved for a failed request, "
                        + "and every admin action is safe to repeat"));
    }

    static ResponseEntity<ApiError> answer(ApiException e) {
        var response = ResponseEntity.status(e.status());
        e.headers().forEach(response::header);
        return response.body(e.body());
    }

    /** A refusal that a reader wrapped (a body limit hit inside a message converter). */
    private static ApiException refusalIn(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            if (cause instanceof ApiException refusal) {
                return refusal;
            }
        }
        return null;
    }
}
