package io.uploadguard.signer;

/** The result of a signing request, for whichever front (HTTP or Lambda) turns it into a response. */
sealed interface SigningOutcome {

    record Signed(UploadTicket ticket) implements SigningOutcome {}

    record Refused(Refusal refusal) implements SigningOutcome {}
}
