package io.uploadguard.signer.multipart;

import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.UserIds;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The multipart requests of Uppy's S3 plugin ({@code @uppy/aws-s3} 6), answered in S3's XML shape
 * (issue 19). Uppy sends create, list-parts and complete to whatever URL its {@code signRequest} hook
 * returns and reads S3's answer; UploadGuard's signer creates and completes uploads itself (a
 * client's URLs cannot), so the adapter {@code @uploadguard/client/uppy} points those three
 * requests here. The upload already exists when Uppy's create arrives (the adapter asked
 * {@code POST /uploads} for the grant), so create only names it: Uppy's "UploadId" is UploadGuard's
 * upload id. Owner only, like the JSON routes; the XML body Uppy sends with complete is ignored: the
 * signer checks the parts in S3 itself.
 */
@RestController
@RequestMapping("/uploads/{uploadId}/s3")
@ConditionalOnServerMode
class UppyS3Answers {

    private final OwnedUploads uploads;
    private final PartListing listing;
    private final MultipartCompletion completion;
    private final AuthProperties auth;

    UppyS3Answers(OwnedUploads uploads, PartListing listing, MultipartCompletion completion, AuthProperties auth) {
        this.uploads = uploads;
        this.listing = listing;
        this.completion = completion;
        this.auth = auth;
    }

    @PostMapping("/create")
    ResponseEntity<String> create(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return xml(UppyXml.created(uploads.find(userId(token), uploadId)));
    }

    @GetMapping("/parts")
    ResponseEntity<String> parts(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return xml(UppyXml.parts(listing.list(userId(token), uploadId)));
    }

    @PostMapping("/complete")
    ResponseEntity<String> complete(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        return xml(UppyXml.completed(completion.complete(userId(token), uploadId)));
    }

    /** No {@code produces} on the mapping: refusals stay the usual JSON {@code {error, message}}. */
    private static ResponseEntity<String> xml(String body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(body);
    }

    private String userId(Jwt token) {
        return UserIds.required(token.getClaims(), auth.userClaim());
    }
}
