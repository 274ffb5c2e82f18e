package io.uploadguard.signer;

import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.UserIds;
import java.net.URI;
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
@ConditionalOnServerMode
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
        SigningOutcome outcome = signer.sign(UserIds.required(token.getClaims(), auth.userClaim()), body);
        if (outcome instanceof SigningOutcome.Granted granted) {
            return ResponseEntity.created(URI.create(granted.location())).body(granted.body());
        }
        throw ((SigningOutcome.Refused) outcome).refusal();
    }

    @GetMapping("/{uploadId}")
    ResponseEntity<?> status(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return statuses.find(UserIds.required(token.getClaims(), auth.userClaim()), uploadId)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseThrow(() -> OwnUploads.notFound(uploadId));
    }
}
