package io.uploadguard.signer.multipart;

import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.ConditionalOnServerMode;
import io.uploadguard.security.UserIds;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

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

    private static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

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
        OwnedUploads.Owned owned = uploads.find(userId(token), uploadId);
        return xml("<InitiateMultipartUploadResult>"
                + element("Key", owned.multipart().key())
                + element("UploadId", String.valueOf(owned.multipart().uploadId()))
                + "</InitiateMultipartUploadResult>");
    }

    @GetMapping("/parts")
    ResponseEntity<String> parts(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        PartListing.PartsView view = listing.list(userId(token), uploadId);
        String parts = view.parts().stream()
                .map(p -> "<Part>" + element("PartNumber", String.valueOf(p.partNumber())) + element("ETag", p.etag())
                        + element("Size", String.valueOf(p.size())) + "</Part>")
                .collect(Collectors.joining());
        return xml("<ListPartsResult>" + element("UploadId", String.valueOf(view.uploadId())) + parts
                + "</ListPartsResult>");
    }

    @PostMapping("/complete")
    ResponseEntity<String> complete(@AuthenticationPrincipal Jwt token, @PathVariable String uploadId) {
        UploadStateView done = completion.complete(userId(token), uploadId);
        // Uppy wants a Location: the upload's status, where its verdict will be
        return xml("<CompleteMultipartUploadResult>"
                + element("Location", "/uploads/" + done.uploadId())
                + element("Key", done.key()) + "</CompleteMultipartUploadResult>");
    }

    /** No {@code produces} on the mapping: refusals stay the usual JSON {@code {error, message}}. */
    private static ResponseEntity<String> xml(String body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(XML + body);
    }

    private static String element(String name, String value) {
        return "<" + name + ">" + HtmlUtils.htmlEscape(value == null ? "" : value) + "</" + name + ">";
    }

    private String userId(Jwt token) {
        return UserIds.required(token.getClaims(), auth.userClaim());
    }
}
