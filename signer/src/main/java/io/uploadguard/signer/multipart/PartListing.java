package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code GET /uploads/{id}/parts}: which parts S3 holds (ListParts, every page), so that a client
 * resumes after a reload or a network cut. A completed or aborted upload has none left to list.
 */
@Component
class PartListing {

    private final OwnedUploads uploads;
    private final S3MultipartUploads s3;

    PartListing(OwnedUploads uploads, S3MultipartUploads s3) {
        this.uploads = uploads;
        this.s3 = s3;
    }

    PartsView list(String userId, String uploadId) {
        OwnedUploads.Owned owned = uploads.find(userId, uploadId);
        MultipartUpload multipart = owned.multipart();
        List<PartsView.Part> parts = List.of();
        if (multipart.state() == MultipartUpload.State.OPEN) {
            try {
                parts = s3.parts(multipart).stream()
                        .map(p -> new PartsView.Part(p.partNumber(), p.size(), p.eTag()))
                        .toList();
            } catch (S3MultipartUploads.GoneInS3 e) {
                // aborted in S3 a moment ago (the releaser): nothing to resume
            }
        }
        return new PartsView(
                multipart.uploadId(),
                multipart.partSize(),
                multipart.partCount(),
                parts,
                multipart.state().name());
    }

    /** The answer of {@code GET /uploads/{id}/parts}. */
    record PartsView(UUID uploadId, long partSize, int partCount, List<Part> parts, String state) {

        record Part(int partNumber, long size, String etag) {}
    }
}
