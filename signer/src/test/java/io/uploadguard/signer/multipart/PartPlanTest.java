package io.uploadguard.signer.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadguard.security.ApiException;
import org.junit.jupiter.api.Test;

class PartPlanTest {

    private static final long MB = 1024 * 1024;

    @Test
    void everyPartButTheLastHasThePartSizeAndTheLastTheRemainder() {
        PartPlan plan = PartPlan.of(32 * MB + 1, 8 * MB);

        assertThat(plan.partCount()).isEqualTo(5);
        assertThat(plan.sizeOf(1)).isEqualTo(8 * MB);
        assertThat(plan.sizeOf(4)).isEqualTo(8 * MB);
        assertThat(plan.sizeOf(5)).isEqualTo(1);
        long total = 0;
        for (int n = 1; n <= plan.partCount(); n++) {
            total += plan.sizeOf(n);
        }
        assertThat(total).isEqualTo(32 * MB + 1);
    }

    @Test
    void aSizeThatDividesEvenlyHasAFullLastPart() {
        PartPlan plan = PartPlan.of(40 * MB, 8 * MB);

        assertThat(plan.partCount()).isEqualTo(5);
        assertThat(plan.sizeOf(5)).isEqualTo(8 * MB);
    }

    @Test
    void aSizeBelowOnePartIsOnePart() {
        PartPlan plan = PartPlan.of(3, 8 * MB);

        assertThat(plan.partCount()).isEqualTo(1);
        assertThat(plan.sizeOf(1)).isEqualTo(3);
    }

    @Test
    void tenThousandPartsAtMostAsS3Allows() {
        assertThat(PartPlan.of(10_000 * 5 * MB, 5 * MB).partCount()).isEqualTo(10_000);
        assertThatThrownBy(() -> PartPlan.of(10_000 * 5 * MB + 1, 5 * MB))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("too_many_parts");
                });
    }

    @Test
    void fiveTerabytesNeedPartsOfAtLeast525Megabytes() {
        assertThat(PartPlan.of(5L * 1024 * 1024 * MB, 525 * MB).partCount()).isEqualTo(9_987);
        assertThatThrownBy(() -> PartPlan.of(5L * 1024 * 1024 * MB, 512 * MB)).hasMessageContaining("10240 parts");
    }

    @Test
    void partNumbersOutsideThePlanAreNotInIt() {
        PartPlan plan = PartPlan.of(20 * MB, 8 * MB);

        assertThat(plan.has(0)).isFalse();
        assertThat(plan.has(1)).isTrue();
        assertThat(plan.has(3)).isTrue();
        assertThat(plan.has(4)).isFalse();
        assertThatThrownBy(() -> plan.sizeOf(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pagesStopAtThePageSizeOrTheLastPart() {
        PartPlan plan = PartPlan.of(10 * 8 * MB, 8 * MB);

        assertThat(plan.page(1, 4)).containsExactly(1, 2, 3, 4);
        assertThat(plan.after(4)).isEqualTo(5);
        assertThat(plan.page(9, 4)).containsExactly(9, 10);
        assertThat(plan.after(10)).isNull();
    }
}
