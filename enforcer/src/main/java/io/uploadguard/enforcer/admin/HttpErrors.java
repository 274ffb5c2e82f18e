package io.uploadguard.enforcer.admin;

import io.uploadguard.security.ApiError;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * What no controller handles (no such path, wrong method) answered in the same JSON as the admin
 * API, instead of Boot's error page.
 */
@RestControllerAdvice
@ConditionalOnWebApplication
class HttpErrors {

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
        return ResponseEntity.status(404).body(ApiError.of("not_found", "no such resource"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(405)
                .body(ApiError.of("method_not_allowed", "method " + e.getMethod() + " is not supported here"));
    }
}
