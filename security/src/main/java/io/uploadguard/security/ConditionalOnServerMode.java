package io.uploadguard.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;

/**
 * Only when a service runs as an HTTP server, not as an AWS Lambda function. Spring Cloud Function's
 * {@code FunctionInvoker} starts the same application without a web application context, so the
 * web-only parts (controllers, security filter chains, error handlers, the HTTP-side metrics and
 * workers) stay out of a Lambda's context; this names that switch.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnWebApplication
public @interface ConditionalOnServerMode {}
