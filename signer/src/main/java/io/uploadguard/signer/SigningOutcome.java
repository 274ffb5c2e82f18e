package io.uploadguard.signer;

import io.uploadguard.security.ApiException;
import io.uploadguard.signer.multipart.MultipartGrant;
import java.util.UUID;

/** The result of a signing request, for whichever front (HTTP or Lambda) turns it into a response. */
public sealed interface SigningOutcome {

    /** An upload granted, by a single PUT or in parts: answered 201 with {@link #body()} at {@link #location()}. */
    sealed interface Granted extends SigningOutcome permits Signed, MultipartSigned {

        UUID uploadId();

        /** The ticket or the grant, as the client reads it. */
        Object body();

        /** Where the upload's status is. */
        default String location() {
            return "/uploads/" + uploadId();
        }
    }

    record Signed(UploadTicket ticket) implements Granted {

        @Override
        public UUID uploadId() {
            return ticket.uploadId();
        }

        @Override
        public Object body() {
            return ticket;
        }
    }

    /** A multipart upload started: its plan and first page of part URLs. */
    record MultipartSigned(MultipartGrant grant) implements Granted {

        @Override
        public UUID uploadId() {
            return grant.uploadId();
        }

        @Override
        public Object body() {
            return grant;
        }
    }

    record Refused(ApiException refusal) implements SigningOutcome {}
}
