package io.uploadguard.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what an HTTP client may send, bound from {@code uploadguard.http.*}.
 *
 * @param maxRequestBytes the largest request body either service reads (16 KiB: the APIs take
 *                        small JSON objects; the files themselves go straight to S3)
 */
@ConfigurationProperties("uploadguard.http")
public record HttpLimits(@DefaultValue("16384") long maxRequestBytes) {}
