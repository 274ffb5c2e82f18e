package io.uploadguard.signer.multipart;

import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.UserIds;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The routes of a multipart upload after its grant, for its owner (see docs and the OpenAPI file). */
@RestController
@RequestMapping("/uploads/{uploadId}")
@ConditionalOnServerMode
class MultipartController {

    private final PartUrlMinting minting;
    private final PartListing listing;
    private final MultipartCompletion completion;
    private final MultipartAborts aborts;
    private final AuthProperties auth;

    MultipartController(
            PartUrlMinting minting,
            PartListing listing,
            MultipartCompletion completion,
            MultipartAborts aborts,
            AuthProperties auth) {
        this.minting = minting;
        this.listing = listing;
        this.completion = completion;
        this.aborts = aborts;
        this.auth = auth;
    }

    @PostMapping("/parts")
    PartUrlMinting.PartUrlsView partUrls(
            @AuthenticationPrincipal Jwt token,
            @PathVariable String uploadId,
            @RequestBody PartUrlMinting.PartUrlsRequest request) {
        return minting.mint(userId(token), uploadId, request);
    }

    @GetMapping("/parts")
    PartListing.PartsView parts(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return listing.list(userId(token), uploadId);
    }

    @PostMapping("/complete")
    UploadStateView complete(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return completion.complete(userId(token), uploadId);
    }

    @DeleteMapping
    UploadStateView abort(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return aborts.abort(userId(token), uploadId);
    }

    private String userId(Jwt token) {
        return UserIds.required(token.getClaims(), auth.userClaim());
    }
}
