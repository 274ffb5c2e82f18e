package io.uploadguard.sandbox.faults;

import java.io.InputStream;
import java.time.Duration;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes every object operation take at least a given time, as a network between a client and S3
 * does, so that a benchmark on loopback can show what concurrency buys where S3 calls wait rather
 * than compute. Off (zero) unless {@code --s3-latency} asks for it; nothing else uses it.
 */
public final class LatencyBlobStore extends ForwardingBlobStore {

    private final long millis;

    public LatencyBlobStore(BlobStore delegate, Duration latency) {
        super(delegate);
        this.millis = latency.toMillis();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        pause();
        return super.putBlob(request, input);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        pause();
        return super.copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        pause();
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        pause();
        return super.getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        pause();
        return super.removeBlob(request);
    }

    private void pause() {
        try {
            Thread.sleep(millis); // the stand-in for a network's delay: the point of this class
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
