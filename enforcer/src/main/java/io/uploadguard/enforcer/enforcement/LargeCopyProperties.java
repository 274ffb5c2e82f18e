package io.uploadguard.enforcer.enforcement;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * When a verdict's copy is made in parts, bound from {@code uploadguard.enforcer.large-copy.*}.
 * CopyObject refuses a source over 5 GB, so objects above {@code threshold} are copied with
 * UploadPartCopy ({@link LargeObjectCopy}).
 *
 * @param threshold objects larger than this are copied in parts (at most 5 GB, CopyObject's limit)
 * @param partSize the size of each copied part, 5 MB to 5 GB as S3 requires; raised for an object
 *     that would otherwise need more than S3's 10,000 parts
 */
@ConfigurationProperties("uploadguard.enforcer.large-copy")
public record LargeCopyProperties(
        @DefaultValue("5GB") DataSize threshold,
        @DefaultValue("512MB") DataSize partSize) {

    static final long MIN_PART = DataSize.ofMegabytes(5).toBytes();
    static final long MAX_PART = DataSize.ofGigabytes(5).toBytes();

    public LargeCopyProperties {
        if (threshold.toBytes() < 1 || threshold.toBytes() > MAX_PART) {
            throw new IllegalArgumentException(
                    "uploadguard.enforcer.large-copy.threshold must be between 1 B and 5GB (CopyObject's limit)");
        }
        if (partSize.toBytes() < MIN_PART || partSize.toBytes() > MAX_PART) {
            throw new IllegalArgumentException("uploadguard.enforcer.large-copy.part-size must be between 5MB and 5GB");
        }
    }
}
