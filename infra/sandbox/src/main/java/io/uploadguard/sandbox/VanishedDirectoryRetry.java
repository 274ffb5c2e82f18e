package io.uploadguard.sandbox;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Writes again when the folder a write was about to use vanished under it.
 *
 * <p>S3 has no folders; S3Proxy's stores (on disk and in memory alike) keep objects in a file
 * tree: a write creates its key's parent folders and then its file, and a delete removes the
 * folders it leaves empty. A delete of the last object under a prefix that runs between those two
 * steps of a write to the same prefix removes the folder from under it, and S3Proxy answers the
 * write with 500 InternalError, which S3 never does for that. Met in the enforcer benchmark (40
 * enforcer deletes and 4 uploaders in the same user's prefix). The write is tried again, as long as
 * none of its body was read: the body is a stream, and a write that fails at that step has not
 * started reading it.
 */
final class VanishedDirectoryRetry extends ForwardingBlobStore {

    /** Each try fails only if another delete empties the same folder in the same instant. */
    static final int TRIES = 10;

    VanishedDirectoryRetry(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        var body = new UntouchedUntilRead(payload);
        return retried(() -> super.putBlob(request, body), () -> body.read);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return retried(() -> super.copyBlob(request), () -> false);
    }

    /** Runs the write again while its folder vanished and its body was not read, {@link #TRIES} times at most. */
    private static <T> T retried(Supplier<T> write, BooleanSupplier bodyRead) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (attempt == TRIES || bodyRead.getAsBoolean() || !folderVanished(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean folderVanished(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    /** Remembers whether anything asked for the body's bytes. */
    private static final class UntouchedUntilRead extends FilterInputStream {

        private volatile boolean read;

        UntouchedUntilRead(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            read = true;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            read = true;
            return super.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            read = true;
            return super.skip(n);
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            read = true;
            return super.transferTo(out);
        }
    }
}
