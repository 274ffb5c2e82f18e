package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler.ReleaseReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightMessageLimitTest {

    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void aPollTakesEverySlotThatIsFreeUpToItsBatch() throws InterruptedException {
        var limit = new InFlightMessageLimit(10, NO_WAIT);

        assertThat(limit.request(4)).isEqualTo(4);
        assertThat(limit.request(10)).isEqualTo(6);
        assertThat(limit.free()).isZero();
    }

    @Test
    void oneFinishedMessageIsEnoughForTheNextPoll() throws InterruptedException {
        // the library's limiter would wait for ten free slots here
        var limit = new InFlightMessageLimit(10, NO_WAIT);
        assertThat(limit.request(10)).isEqualTo(10);

        limit.release(1, ReleaseReason.PROCESSED);

        assertThat(limit.request(10)).isEqualTo(1);
    }

    @Test
    void nothingFreeGivesNoneAfterTheWait() throws InterruptedException {
        var limit = new InFlightMessageLimit(2, Duration.ofMillis(20));
        limit.request(2);

        assertThat(limit.request(1)).isZero();
        assertThat(limit.request(0)).isZero();
    }

    @Test
    void aWaitingPollWakesWhenAMessageFinishes() throws Exception {
        var limit = new InFlightMessageLimit(3, Duration.ofSeconds(30));
        limit.request(3);

        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.request(3);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        limit.release(2, ReleaseReason.PROCESSED);

        assertThat(poll.get(10, TimeUnit.SECONDS)).isBetween(1, 2);
    }

    @Test
    void unusedSlotsOfAPollComeBack() throws InterruptedException {
        var limit = new InFlightMessageLimit(10, NO_WAIT);
        limit.request(10);

        limit.release(7, ReleaseReason.PARTIAL_FETCH);

        assertThat(limit.free()).isEqualTo(7);
    }

    @Test
    void drainWaitsForEveryMessageInFlight() throws InterruptedException {
        var limit = new InFlightMessageLimit(3, NO_WAIT);
        limit.request(2);

        assertThat(limit.drain(Duration.ofMillis(20))).isFalse();
        limit.release(2, ReleaseReason.PROCESSED);
        assertThat(limit.drain(Duration.ofMillis(20))).isTrue();
    }

    @Test
    void atLeastOneMessageInFlight() {
        assertThatThrownBy(() -> new InFlightMessageLimit(0, NO_WAIT)).isInstanceOf(IllegalArgumentException.class);
    }
}
