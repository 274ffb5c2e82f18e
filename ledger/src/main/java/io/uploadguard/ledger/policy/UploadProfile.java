package io.uploadguard.ledger.policy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * A named upload policy: which content types, how large, how long a signed URL lives, and what
 * happens to an object that breaks it.
 *
 * @param allowedTypes content types a client may declare; compared without regard to case
 * @param maxSize the largest object allowed
 * @param urlLifetime how long a signed URL stays valid; 5 minutes when not given
 * @param onViolation what the enforcer does with a rejected object; QUARANTINE when not given
 * @param activeContent set to allow types a browser executes (see {@link #isActiveContent}); without
 *     it such a type in {@code allowedTypes} is refused at start-up, since the served copy would run
 *     script on whatever origin serves the bucket
 * @param inline whether promoted copies are served inline; by default they carry {@code
 *     Content-Disposition: attachment} with the declared filename
 * @param scan whether objects must pass a malware scan before promotion; null when not given, which
 *     the enforcer reads as REQUIRED when a scanner is configured and OFF when none is
 * @param multipartThreshold uploads larger than this are signed as multipart uploads; null (the
 *     default) when the profile never uses multipart. At most 5GB, the largest single PUT
 * @param partSize the size of every part but the last; 16MB when not given, 5MB to 5GB as S3 requires
 * @param multipartLifetime how long a multipart upload stays open for parts and completion, and so
 *     how long its reservation is held; 24 hours when not given
 */
public record UploadProfile(
        List<String> allowedTypes,
        DataSize maxSize,
        Duration urlLifetime,
        ViolationAction onViolation,
        boolean activeContent,
        boolean inline,
        ScanRequirement scan,
        DataSize multipartThreshold,
        DataSize partSize,
        Duration multipartLifetime) {

    public static final Duration DEFAULT_URL_LIFETIME = Duration.ofMinutes(5);
    /** S3 refuses SigV4 presigned URLs valid for longer. */
    public static final Duration MAX_URL_LIFETIME = Duration.ofDays(7);
    /** The largest object a single PUT (and so a profile without multipart) can write. */
    public static final DataSize MAX_SINGLE_PUT = DataSize.ofGigabytes(5);
    /** The largest object S3 stores. */
    public static final DataSize MAX_OBJECT = DataSize.ofTerabytes(5);
    /** S3's bounds for a part (the last part may be smaller). */
    public static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

    public static final DataSize MAX_PART_SIZE = DataSize.ofGigabytes(5);
    public static final DataSize DEFAULT_PART_SIZE = DataSize.ofMegabytes(16);
    public static final Duration DEFAULT_MULTIPART_LIFETIME = Duration.ofHours(24);

    /** Types a browser executes or renders with script when it opens them: refused unless opted in. */
    private static final Set<String> ACTIVE_TYPES = Set.of(
            "text/html",
            "application/xhtml+xml",
            "image/svg+xml",
            "text/javascript",
            "application/javascript",
            "application/x-javascript",
            "text/ecmascript",
            "application/ecmascript",
            "text/xml",
            "application/xml",
            "text/xsl",
            "application/xslt+xml",
            "multipart/x-mixed-replace");

    @ConstructorBinding
    public UploadProfile {
        if (allowedTypes == null || allowedTypes.isEmpty()) {
            throw new IllegalArgumentException("allowed-types must name at least one content type");
        }
        allowedTypes = allowedTypes.stream()
                .map(type -> Objects.requireNonNull(type, "allowed-types must not contain null")
                        .strip()
                        .toLowerCase(Locale.ROOT))
                .toList();
        if (maxSize == null || maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("max-size must be more than 0 bytes, was " + maxSize);
        }
        if (urlLifetime == null) {
            urlLifetime = DEFAULT_URL_LIFETIME;
        }
        if (urlLifetime.isNegative() || urlLifetime.isZero() || urlLifetime.compareTo(MAX_URL_LIFETIME) > 0) {
            throw new IllegalArgumentException("url-lifetime must be more than 0 and at most 7 days"
                    + " (S3 refuses presigned URLs valid for longer), was " + urlLifetime);
        }
        if (onViolation == null) {
            onViolation = ViolationAction.QUARANTINE;
        }
        if (maxSize.toBytes() > MAX_OBJECT.toBytes()) {
            throw new IllegalArgumentException("max-size must be at most 5TB (S3's largest object), was " + maxSize);
        }
        if (multipartThreshold == null && maxSize.toBytes() > MAX_SINGLE_PUT.toBytes()) {
            throw new IllegalArgumentException("max-size above 5GB needs multipart (a single PUT stops at 5GB):"
                    + " set multipart-threshold (e.g. 32MB) or lower max-size, was " + maxSize);
        }
        if (multipartThreshold != null
                && (multipartThreshold.toBytes() <= 0 || multipartThreshold.toBytes() > MAX_SINGLE_PUT.toBytes())) {
            throw new IllegalArgumentException("multipart-threshold must be more than 0 and at most 5GB"
                    + " (a single PUT stops at 5GB), was " + multipartThreshold);
        }
        if (partSize == null) {
            partSize = DEFAULT_PART_SIZE;
        }
        if (partSize.toBytes() < MIN_PART_SIZE.toBytes() || partSize.toBytes() > MAX_PART_SIZE.toBytes()) {
            throw new IllegalArgumentException(
                    "part-size must be 5MB to 5GB (S3's bounds for a part), was " + partSize);
        }
        if (multipartLifetime == null) {
            multipartLifetime = DEFAULT_MULTIPART_LIFETIME;
        }
        if (multipartLifetime.isNegative() || multipartLifetime.isZero()) {
            throw new IllegalArgumentException("multipart-lifetime must be more than 0, was " + multipartLifetime);
        }
    }

    /** A profile without multipart. */
    public UploadProfile(
            List<String> allowedTypes,
            DataSize maxSize,
            Duration urlLifetime,
            ViolationAction onViolation,
            boolean activeContent,
            boolean inline,
            ScanRequirement scan) {
        this(allowedTypes, maxSize, urlLifetime, onViolation, activeContent, inline, scan, null, null, null);
    }

    /** A profile that keeps the defaults: no active content, promoted copies as attachments. */
    public UploadProfile(
            List<String> allowedTypes, DataSize maxSize, Duration urlLifetime, ViolationAction onViolation) {
        this(allowedTypes, maxSize, urlLifetime, onViolation, false, false, null);
    }

    /** Whether an upload of this many bytes is signed as a multipart upload. */
    public boolean usesMultipart(long size) {
        return multipartThreshold != null && size > multipartThreshold.toBytes();
    }

    /** Whether a browser would run script from an object of this type ({@code +xml} types included). */
    public static boolean isActiveContent(String contentType) {
        String type = contentType.strip().toLowerCase(Locale.ROOT);
        return ACTIVE_TYPES.contains(type) || type.endsWith("+xml");
    }

    /** The allowed types a browser would run script from; empty for a profile that serves none. */
    public List<String> activeTypes() {
        return allowedTypes.stream().filter(UploadProfile::isActiveContent).toList();
    }

    /** Whether a client may declare this content type (exact type, case aside; no parameters). */
    public boolean allows(String contentType) {
        return contentType != null && allowedTypes.contains(contentType.strip().toLowerCase(Locale.ROOT));
    }
}
