package io.uploadguard.signer;

import io.uploadguard.security.ApiException;
import io.uploadguard.signer.multipart.MultipartGrant;

/** The result of a signing request, for whichever front (HTTP or Lambda) turns it into a response. */
public sealed interface SigningOutcome {

    record Signed(UploadTicket ticket) implements SigningOutcome {}

    /** A multipart upload started: its plan and first page of part URLs. */
    record MultipartSigned(MultipartGrant grant) implements SigningOutcome {}

    record Refused(ApiException refusal) implements SigningOutcome {}
}
