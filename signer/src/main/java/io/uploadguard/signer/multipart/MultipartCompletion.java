package io.uploadguard.signer.multipart;

import io.uploadguard.ledger.MultipartUpload;
import io.uploadguard.ledger.MultipartUpload.State;
import io.uploadguard.ledger.booking.MultipartLedger;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.LogSafe;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * {@code POST /uploads/{id}/complete}: only the signer completes, and only an upload whose every
 * part 1..partCount is in S3 with exactly its planned size, so the object is exactly the declared
 * size. Completion sends {@code If-None-Match: *}: it never replaces an object at the key. A second
 * call after success answers the same.
 */
@Component
class MultipartCompletion {

    private static final Logger log = LoggerFactory.getLogger(MultipartCompletion.class);
    /** Part numbers named in a refusal's message, at most. */
    private static final int NAMED = 20;

    private final OwnedUploads uploads;
    private final S3MultipartUploads s3;
    private final MultipartLedger multipart;
    private final Clock clock;

    MultipartCompletion(OwnedUploads uploads, S3MultipartUploads s3, MultipartLedger multipart, Clock clock) {
        this.uploads = uploads;
        this.s3 = s3;
        this.multipart = multipart;
        this.clock = clock;
    }

    UploadStateView complete(String userId, String uploadId) {
        OwnedUploads.Owned owned = uploads.find(userId, uploadId);
        MultipartUpload upload = owned.multipart();
        if (upload.state() == State.COMPLETED) {
            return UploadStateView.completed(upload);
        }
        if (!owned.open(clock.instant())) {
            throw owned.notOpen();
        }
        try {
            List<Part> parts = s3.parts(upload);
            check(owned.plan(), parts);
            s3.complete(
                    upload,
                    parts.stream().filter(p -> owned.plan().has(p.partNumber())).toList());
        } catch (S3MultipartUploads.GoneInS3 e) {
            // aborted meanwhile, or completed by a call that crashed before booking it
            throw owned.notOpen();
        }
        State state = multipart.complete(upload.uploadId(), clock.instant()).orElseThrow();
        if (state != State.COMPLETED) {
            throw owned.notOpen();
        }
        log.info(
                "multipart upload completed user={} upload={} parts={}",
                LogSafe.escape(userId),
                upload.uploadId(),
                upload.partCount());
        return UploadStateView.completed(upload);
    }

    private static void check(PartPlan plan, List<Part> parts) {
        Map<Integer, Part> byNumber =
                parts.stream().collect(Collectors.toMap(Part::partNumber, Function.identity(), (a, b) -> a));
        List<Integer> missing = new ArrayList<>();
        List<Integer> wrongSize = new ArrayList<>();
        for (int n = 1; n <= plan.partCount(); n++) {
            Part part = byNumber.get(n);
            if (part == null) {
                missing.add(n);
            } else if (part.size() == null || part.size() != plan.sizeOf(n)) {
                wrongSize.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.of(409, "parts_missing", "S3 does not have parts " + named(missing) + " yet");
        }
        if (!wrongSize.isEmpty()) {
            throw ApiException.of(
                    409, "part_size_mismatch", "parts " + named(wrongSize) + " do not have their planned size");
        }
    }

    private static String named(List<Integer> numbers) {
        String listed = numbers.stream().limit(NAMED).map(String::valueOf).collect(Collectors.joining(", "));
        return numbers.size() > NAMED ? listed + " and " + (numbers.size() - NAMED) + " more" : listed;
    }
}
