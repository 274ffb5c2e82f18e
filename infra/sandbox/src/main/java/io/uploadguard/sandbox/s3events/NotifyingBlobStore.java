package io.uploadguard.sandbox.s3events;

import java.io.InputStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Gives S3Proxy what it lacks: S3 event notifications. Each successful write or delete through the
 * S3 API is reported to the {@link S3EventPublisher} after the store has done it; failed ones
 * (a refused signature, a failed {@code If-None-Match}) never reach the store and so send nothing.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    private final S3EventPublisher publisher;

    NotifyingBlobStore(BlobStore delegate, S3EventPublisher publisher) {
        super(delegate);
        this.publisher = publisher;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        created(request.bucket(), request.key(), "ObjectCreated:Put");
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        created(request.destinationBucket(), request.destinationKey(), "ObjectCreated:Copy");
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created(upload.containerName(), upload.blobName(), "ObjectCreated:CompleteMultipartUpload");
        return response;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        // S3 answers 204 for a key that is not there; only a real removal is worth an event
        boolean existed = delegate().blobExists(request.bucket(), request.key());
        DeleteObjectResponse response = super.removeBlob(request);
        if (existed) {
            publisher.objectChanged(request.bucket(), request.key(), "ObjectRemoved:Delete", null, null);
        }
        return response;
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        DeleteObjectsResponse response = delegate().removeBlobs(request);
        for (DeletedObject deleted : response.deleted()) {
            publisher.objectChanged(request.bucket(), deleted.key(), "ObjectRemoved:Delete", null, null);
        }
        return response;
    }

    private void created(String bucket, String key, String eventName) {
        if (key.startsWith(S3EventPublisher.MULTIPART_STUB_PREFIX)) {
            return;
        }
        // the size and ETag S3 reports are those of the stored object, so read them back
        HeadObjectResponse head = delegate().blobMetadata(bucket, key);
        publisher.objectChanged(bucket, key, eventName, head.contentLength(), head.eTag());
    }
}
