package io.uploadguard.enforcer.admin;

import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.LogSafe;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API over HTTP: reads and checks the request, hands it to {@link AdminOperations}. Only
 * tokens with the admin role get here ({@link AdminSecurityConfiguration}). Documented in
 * {@code static/admin-openapi.yaml}.
 */
@RestController
@RequestMapping("/admin")
@ConditionalOnServerMode
class AdminController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final Duration MAX_BLOCK = Duration.ofDays(365);
    static final int MAX_REASON_LENGTH = 1000;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Body of unblock, release and purge. */
    record ReasonBody(String reason) {}

    /** @param duration ISO-8601, e.g. {@code PT1H} or {@code P7D} */
    record BlockBody(String reason, String duration) {}

    private final AdminOperations operations;
    private final AdminIdentity identity;

    AdminController(AdminOperations operations, AdminIdentity identity) {
        this.operations = operations;
        this.identity = identity;
    }

    @GetMapping("/users/{userId}")
    AdminViews.User user(
            @PathVariable String userId,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String auditLimit) {
        return operations.user(userId, limit(limit, "limit"), cursor, limit(auditLimit, "auditLimit"));
    }

    @PostMapping("/users/{userId}/block")
    AdminViews.Standing block(
            @AuthenticationPrincipal Jwt token,
            @PathVariable String userId,
            @RequestBody(required = false) BlockBody body) {
        String actor = actor(token);
        if (body == null) {
            throw ApiException.malformed("send {\"reason\": \"...\", \"duration\": \"PT1H\"}");
        }
        return operations.block(userId, duration(body.duration()), reason(body.reason()), actor);
    }

    @PostMapping("/users/{userId}/unblock")
    AdminViews.Standing unblock(
            @AuthenticationPrincipal Jwt token,
            @PathVariable String userId,
            @RequestBody(required = false) ReasonBody body) {
        return operations.unblock(userId, actor(token), reason(body == null ? null : body.reason()));
    }

    @GetMapping("/quarantine")
    AdminViews.QuarantineList quarantine(
            @RequestParam(required = false) String user,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor) {
        Optional<String> userFilter = Optional.ofNullable(user).filter(u -> !u.isEmpty());
        return operations.quarantine(userFilter, reasonFilter(reason), limit(limit, "limit"), cursor);
    }

    @PostMapping("/quarantine/{uploadId}/release")
    AdminViews.Released release(
            @AuthenticationPrincipal Jwt token,
            @PathVariable String uploadId,
            @RequestParam(defaultValue = "false") boolean force,
            @RequestBody(required = false) ReasonBody body) {
        String actor = actor(token);
        return operations.release(uploadId(uploadId), force, reason(body == null ? null : body.reason()), actor);
    }

    /** The reason may come as a body or, for clients that send no body with DELETE, as {@code ?reason=}. */
    @DeleteMapping("/quarantine/{uploadId}")
    AdminViews.Purged purge(
            @AuthenticationPrincipal Jwt token,
            @PathVariable String uploadId,
            @RequestParam(name = "reason", required = false) String reasonParam,
            @RequestBody(required = false) ReasonBody body) {
        String actor = actor(token);
        String reason = body != null && body.reason() != null ? body.reason() : reasonParam;
        return operations.purge(uploadId(uploadId), reason(reason), actor);
    }

    /** Who acts, for the audit: the token's user claim, as for the signer's users. */
    private String actor(Jwt token) {
        return identity.of(token);
    }

    /** Reasons end up in logs and in the blocked user's refusal: one line of readable text. */
    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.malformed("give a reason: {\"reason\": \"...\"} (it goes into the audit log)");
        }
        String stripped = reason.strip();
        if (stripped.length() > MAX_REASON_LENGTH) {
            throw ApiException.malformed("reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        if (!LogSafe.isOneLine(stripped)) {
            throw ApiException.malformed(
                    "reason must be one line of text, without control characters or line separators");
        }
        return stripped;
    }

    static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.malformed("give a duration: ISO-8601, e.g. \"PT1H\" or \"P7D\"");
        }
        Duration duration;
        try {
            duration = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.malformed("duration '" + text + "' is not ISO-8601 (e.g. \"PT30M\", \"PT1H\", \"P7D\")");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_BLOCK) > 0) {
            throw ApiException.malformed(
                    "duration must be more than 0 and at most " + MAX_BLOCK.toDays() + " days, was " + duration);
        }
        return duration;
    }

    static int limit(String text, String name) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below, as out of range
        }
        throw ApiException.malformed(name + " must be a whole number from 1 to " + MAX_LIMIT + ", was '" + text + "'");
    }

    private static Optional<String> reasonFilter(String reason) {
        if (reason == null || reason.isEmpty()) {
            return Optional.empty();
        }
        String name = reason.strip().toUpperCase(Locale.ROOT);
        if (Arrays.stream(Reason.values()).noneMatch(r -> r.name().equals(name))) {
            throw ApiException.malformed("unknown reason '" + reason + "'; one of " + Arrays.toString(Reason.values()));
        }
        return Optional.of(name);
    }

    /** An id that is not a UUID names no upload: 404, as an unknown one. */
    private static UUID uploadId(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw ApiException.notFound("no upload " + text + " in the ledger (upload ids are UUIDs)");
        }
        return UUID.fromString(text);
    }
}
