package io.uploadguard.signer;

import io.uploadguard.security.ApiError;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns what Spring MVC refuses on its own into the same {@code {error, message}} bodies. */
@RestControllerAdvice
@ConditionalOnWebApplication
class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final Duration LEDGER_RETRY_AFTER = Duration.ofSeconds(5);

    @ExceptionHandler(RequestRefused.class)
    ResponseEntity<ApiError> refused(RequestRefused e) {
        return UploadsController.refuse(e.refusal());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        return UploadsController.refuse(Refusal.badRequest("malformed_request", "the request body could not be read"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return UploadsController.refuse(Refusal.of(415, "unsupported_media_type", "send the body as application/json"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return UploadsController.refuse(
                Refusal.of(405, "method_not_allowed", "method " + e.getMethod() + " is not supported here"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
        return UploadsController.refuse(Refusal.of(404, "not_found", "no such resource"));
    }

    /**
     * The ledger cannot be reached (PostgreSQL down, no pooled connection within the pool's
     * timeout): a client may retry, and nothing was reserved, since the reservation is one statement.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ApiError> ledgerUnavailable(DataAccessException e) {
        log.warn(
                "ledger unavailable, answered 503: {}", e.getMostSpecificCause().toString());
        return UploadsController.refuse(new Refusal(
                503,
                ApiError.of(
                        "ledger_unavailable",
                        "the upload ledger cannot be reached just now; nothing was reserved, retry shortly"),
                LEDGER_RETRY_AFTER));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected error while handling a request", e);
        return UploadsController.refuse(Refusal.of(
                500, "internal_error", "something went wrong on our side; nothing was reserved for a failed request"));
    }
}
