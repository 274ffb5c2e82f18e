package io.uploadguard.enforcer.admin;

import io.uploadguard.enforcer.reconciliation.ReconciliationController;
import io.uploadguard.security.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The admin API's refusals as {@code {error, message}} JSON, like the signer's. Scoped to the admin
 * controller, so actuator endpoints keep their own error handling.
 */
@RestControllerAdvice(assignableTypes = {AdminController.class, ReconciliationController.class})
@ConditionalOnWebApplication
class AdminErrors {

    private static final Logger log = LoggerFactory.getLogger(AdminErrors.class);

    @ExceptionHandler(AdminRefused.class)
    ResponseEntity<ApiError> refused(AdminRefused e) {
        return ResponseEntity.status(e.status()).body(e.body());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        return refused(AdminRefused.malformed("the request body could not be read as the JSON object expected"));
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ApiError> badParameter(Exception e) {
        return refused(AdminRefused.malformed("a query parameter is missing or not of the expected type"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return refused(new AdminRefused(415, "unsupported_media_type", "send the body as application/json"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected error while handling an admin request", e);
        return refused(new AdminRefused(
                500, "internal_error", "something went wrong on our side; every admin action is safe to repeat"));
    }
}
