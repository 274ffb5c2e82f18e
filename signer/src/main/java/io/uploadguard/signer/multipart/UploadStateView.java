package io.uploadguard.signer.multipart;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.uploadguard.ledger.MultipartUpload;
import java.util.UUID;

/** The answer of completion ({@code key} and COMPLETED) and of abort (ABORTED, no key). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record UploadStateView(UUID uploadId, String key, String state) {

    static UploadStateView completed(MultipartUpload upload) {
        return new UploadStateView(upload.uploadId(), upload.key(), MultipartUpload.State.COMPLETED.name());
    }

    static UploadStateView aborted(MultipartUpload upload) {
        return new UploadStateView(upload.uploadId(), null, MultipartUpload.State.ABORTED.name());
    }
}
