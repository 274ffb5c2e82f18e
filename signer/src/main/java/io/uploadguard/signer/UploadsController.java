package io.uploadguard.signer;

import io.uploadguard.security.ApiError;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.UserIds;
import java.net.URI;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /uploads} and {@code GET /uploads/{uploadId}} for authenticated users. */
@RestController
@RequestMapping("/uploads")
@ConditionalOnWebApplication
class UploadsController {

    private final UploadSigner signer;
    private final UploadStatusReader statuses;
    private final AuthProperties auth;

    UploadsController(UploadSigner signer, UploadStatusReader statuses, AuthProperties auth) {
        this.signer = signer;
        this.statuses = statuses;
        this.auth = auth;
    }

    @PostMapping
    ResponseEntity<?> sign(@AuthenticationPrincipal Jwt token, @RequestBody(required = false) String body) {
        var userId = UserIds.from(token.getClaims(), auth.userClaim());
        if (userId.isEmpty()) {
            return refuse(new Refusal(401, UserIds.missing(auth.userClaim()), null));
        }
        SigningOutcome outcome = signer.sign(userId.get(), body);
        if (outcome instanceof SigningOutcome.Signed signed) {
            return ResponseEntity.created(
                            URI.create("/uploads/" + signed.ticket().uploadId()))
                    .body(signed.ticket());
        }
        return refuse(((SigningOutcome.Refused) outcome).refusal());
    }

    @GetMapping("/{uploadId}")
    ResponseEntity<?> status(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        var userId = UserIds.from(token.getClaims(), auth.userClaim());
        if (userId.isEmpty()) {
            return refuse(new Refusal(401, UserIds.missing(auth.userClaim()), null));
        }
        return statuses.find(userId.get(), uploadId)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> refuse(UploadStatusReader.notFound(uploadId)));
    }

    static ResponseEntity<ApiError> refuse(Refusal refusal) {
        var response = ResponseEntity.status(refusal.status());
        if (refusal.retryAfter() != null) {
            response.header(
                    HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfter().toSeconds()));
        }
        return response.body(refusal.body());
    }
}
