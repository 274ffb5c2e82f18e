package io.uploadguard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class VanishedDirectoryRetryTest {

    private static final String BUCKET = "race";

    @TempDir
    Path dir;

    /**
     * Writers and deleters in one prefix, as uploads and the enforcer's deletes in one user's
     * prefix: every write succeeds and stores its bytes. (Without the retry S3Proxy's store fails
     * some of these writes when a delete empties the prefix's folder between the write's creating
     * it and writing its file.)
     */
    @Test
    void writesInAPrefixThatDeletesKeepEmptyingAllSucceed() throws Exception {
        BlobStore store = new VanishedDirectoryRetry(new FilesystemNio2BlobStore(dir.toString()));
        store.createContainer(BUCKET);

        AtomicInteger written = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        String key = "incoming/user-1/" + UUID.randomUUID() + ".png";
                        byte[] body = key.getBytes(StandardCharsets.UTF_8);
                        put(store, key, body);
                        assertThat(read(store, key)).isEqualTo(body);
                        store.removeBlob(DeleteObjectRequest.builder()
                                .bucket(BUCKET)
                                .key(key)
                                .build());
                        written.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(written).hasValue(8 * 300);
    }

    @Test
    void aWriteWhoseBodyWasReadIsNotTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        BlobStore failing =
                new org.gaul.s3proxy.blobstore.ForwardingBlobStore(new FilesystemNio2BlobStore(dir.toString())) {
                    @Override
                    public software.amazon.awssdk.services.s3.model.PutObjectResponse putBlob(
                            PutObjectRequest request, java.io.InputStream payload) {
                        calls.incrementAndGet();
                        try {
                            payload.read();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        throw new IllegalStateException(new NoSuchFileException("gone"));
                    }
                };
        BlobStore store = new VanishedDirectoryRetry(failing);

        assertThatThrownBy(() -> put(store, "a/b", new byte[] {1, 2, 3})).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void onlyAVanishedFolderIsTriedAgain() {
        assertThat(VanishedDirectoryRetry.folderVanished(
                        new RuntimeException(new NoSuchFileException("/tmp/x/incoming/user-1"))))
                .isTrue();
        assertThat(VanishedDirectoryRetry.folderVanished(new RuntimeException(new IOException("disk full"))))
                .isFalse();
    }

    private static void put(BlobStore store, String key, byte[] body) {
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key(key)
                        .contentLength((long) body.length)
                        .build(),
                new ByteArrayInputStream(body));
    }

    private static byte[] read(BlobStore store, String key) throws IOException {
        try (var in =
                store.getBlob(GetObjectRequest.builder().bucket(BUCKET).key(key).build())) {
            return in.readAllBytes();
        }
    }
}
