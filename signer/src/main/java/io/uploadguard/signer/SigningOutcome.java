package io.uploadguard.signer;

import io.uploadguard.security.ApiException;

/** The result of a signing request, for whichever front (HTTP or Lambda) turns it into a response. */
public sealed interface SigningOutcome {

    record Signed(UploadTicket ticket) implements SigningOutcome {}

    record Refused(ApiException refusal) implements SigningOutcome {}
}
