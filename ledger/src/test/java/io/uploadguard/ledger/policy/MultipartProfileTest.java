package io.uploadguard.ledger.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class MultipartProfileTest {

    private static UploadProfile profile(DataSize maxSize, DataSize threshold, DataSize partSize, Duration lifetime) {
        return new UploadProfile(
                List.of("video/mp4"), maxSize, null, null, false, false, null, threshold, partSize, lifetime);
    }

    @Test
    void defaultsAreSixteenMegabytePartsOpenForADay() {
        UploadProfile profile = profile(DataSize.ofGigabytes(10), DataSize.ofMegabytes(32), null, null);

        assertThat(profile.partSize()).isEqualTo(DataSize.ofMegabytes(16));
        assertThat(profile.multipartLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(profile.usesMultipart(DataSize.ofMegabytes(32).toBytes())).isFalse();
        assertThat(profile.usesMultipart(DataSize.ofMegabytes(32).toBytes() + 1))
                .isTrue();
    }

    @Test
    void aProfileWithoutThresholdNeverUsesMultipart() {
        UploadProfile profile = profile(DataSize.ofGigabytes(5), null, null, null);

        assertThat(profile.usesMultipart(DataSize.ofGigabytes(5).toBytes())).isFalse();
    }

    @Test
    void fiveTerabytesIsTheLargestObject() {
        assertThat(profile(DataSize.ofTerabytes(5), DataSize.ofMegabytes(32), DataSize.ofGigabytes(1), null)
                        .maxSize())
                .isEqualTo(DataSize.ofTerabytes(5));
        assertThatThrownBy(() -> profile(
                        DataSize.ofBytes(DataSize.ofTerabytes(5).toBytes() + 1), DataSize.ofMegabytes(32), null, null))
                .hasMessageContaining("max-size must be at most 5TB");
    }

    @Test
    void aboveFiveGigabytesNeedsMultipart() {
        assertThatThrownBy(() -> profile(DataSize.ofGigabytes(6), null, null, null))
                .hasMessageContaining("max-size above 5GB needs multipart");
    }

    @Test
    void partSizeStaysWithinS3sBounds() {
        assertThatThrownBy(
                        () -> profile(DataSize.ofGigabytes(1), DataSize.ofMegabytes(32), DataSize.ofMegabytes(4), null))
                .hasMessageContaining("part-size must be 5MB to 5GB");
        assertThatThrownBy(
                        () -> profile(DataSize.ofGigabytes(1), DataSize.ofMegabytes(32), DataSize.ofGigabytes(6), null))
                .hasMessageContaining("part-size must be 5MB to 5GB");
        assertThat(profile(DataSize.ofGigabytes(1), DataSize.ofMegabytes(32), DataSize.ofMegabytes(5), null)
                        .partSize())
                .isEqualTo(DataSize.ofMegabytes(5));
    }

    @Test
    void thresholdAndLifetimeAreChecked() {
        assertThatThrownBy(() -> profile(DataSize.ofGigabytes(10), DataSize.ofGigabytes(6), null, null))
                .hasMessageContaining("multipart-threshold must be more than 0 and at most 5GB");
        assertThatThrownBy(() -> profile(DataSize.ofGigabytes(1), DataSize.ofBytes(0), null, null))
                .hasMessageContaining("multipart-threshold");
        assertThatThrownBy(() -> profile(DataSize.ofGigabytes(1), DataSize.ofMegabytes(32), null, Duration.ZERO))
                .hasMessageContaining("multipart-lifetime must be more than 0");
    }

    @Test
    void theBuiltInVideoProfileUsesMultipart() {
        UploadProfile video = UploadProfiles.defaults().profile("video").orElseThrow();

        assertThat(video.multipartThreshold()).isEqualTo(DataSize.ofMegabytes(32));
        assertThat(video.partSize()).isEqualTo(DataSize.ofMegabytes(8));
        assertThat(video.maxSize()).isEqualTo(DataSize.ofGigabytes(10));
    }
}
