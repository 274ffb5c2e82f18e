package io.uploadguard.enforcer.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.awspring.cloud.sqs.listener.backpressure.BackPressureHandler.ReleaseReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightMessageLimitTest {

    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void aReceiveAsksForEverySlotThatIsFreeUpToItsBatch() throws InterruptedException {
        var limit = new InFlightMessageLimit(20, 10, SHORT);

        assertThat(limit.requestBatch()).isEqualTo(10);
        limit.release(0, ReleaseReason.PARTIAL_FETCH); // ten came
        assertThat(limit.requestBatch()).isEqualTo(10);
        limit.release(6, ReleaseReason.PARTIAL_FETCH); // four came

        assertThat(limit.request(10)).isEqualTo(6);
        assertThat(limit.free()).isZero();
    }

    @Test
    void oneFinishedMessageIsEnoughForTheNextReceive() throws InterruptedException {
        // the library's limiter would wait up to 10 s for ten free slots here
        var limit = new InFlightMessageLimit(10, 10, SHORT);
        limit.requestBatch();
        limit.release(0, ReleaseReason.PARTIAL_FETCH);

        limit.release(1, ReleaseReason.PROCESSED);

        assertThat(limit.requestBatch()).isEqualTo(1);
    }

    @Test
    void slotsFreedWhileAReceiveIsOutGoIntoTheNextOne() throws Exception {
        var limit = new InFlightMessageLimit(10, 10, Duration.ofSeconds(30));
        limit.requestBatch();
        limit.release(0, ReleaseReason.PARTIAL_FETCH);
        limit.release(1, ReleaseReason.PROCESSED);
        assertThat(limit.requestBatch()).isEqualTo(1); // that receive is out now

        CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.requestBatch();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        limit.release(3, ReleaseReason.PROCESSED);
        assertThat(next).as("waits for the answer to the receive that is out").isNotDone();
        limit.release(0, ReleaseReason.PARTIAL_FETCH);

        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void anEmptyAnswerGivesTheSlotsBack() throws InterruptedException {
        var limit = new InFlightMessageLimit(10, 10, SHORT);
        limit.requestBatch();

        limit.release(10, ReleaseReason.NONE_FETCHED);

        assertThat(limit.free()).isEqualTo(10);
        assertThat(limit.requestBatch()).isEqualTo(10);
    }

    @Test
    void nothingFreeGivesNoneAfterTheWait() throws InterruptedException {
        var limit = new InFlightMessageLimit(2, 10, SHORT);
        assertThat(limit.requestBatch()).isEqualTo(2);
        limit.release(0, ReleaseReason.PARTIAL_FETCH);

        assertThat(limit.requestBatch()).isZero();
        assertThat(limit.request(0)).isZero();
    }

    @Test
    void anAnswerThatNeverCameHoldsTheNextReceiveOnlyForTheWait() throws InterruptedException {
        var limit = new InFlightMessageLimit(10, 5, SHORT);
        assertThat(limit.requestBatch()).isEqualTo(5);

        assertThat(limit.requestBatch()).isEqualTo(5);
    }

    @Test
    void drainWaitsForEveryMessageInFlight() throws InterruptedException {
        var limit = new InFlightMessageLimit(3, 3, SHORT);
        limit.request(2);
        limit.release(0, ReleaseReason.PARTIAL_FETCH);

        assertThat(limit.drain(SHORT)).isFalse();
        limit.release(2, ReleaseReason.PROCESSED);
        assertThat(limit.drain(SHORT)).isTrue();
    }

    @Test
    void atLeastOneMessageInFlightAndPerReceive() {
        assertThatThrownBy(() -> new InFlightMessageLimit(0, 10, SHORT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InFlightMessageLimit(10, 0, SHORT)).isInstanceOf(IllegalArgumentException.class);
    }
}
