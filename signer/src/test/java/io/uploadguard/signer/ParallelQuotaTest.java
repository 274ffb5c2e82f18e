package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The quota holds under parallel requests: exactly as many URLs as fit, and the books add up. */
@Tag("integration")
class ParallelQuotaTest extends SignerIntegrationTest {

    @Test
    void fiftyParallelRequestsForRoomForSevenSignExactlySeven() throws Exception {
        String user = "tight-quota-parallel";
        jdbc.sql("delete from uploads where user_id = ?").param(user).update();
        jdbc.sql("delete from accounts where user_id = ?").param(user).update();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long size = 100 + i;
            replies.add(pool.submit(() -> {
                start.await();
                return sign(user, "avatar", "image/png", size);
            }));
        }
        start.countDown();
        List<Reply> done = new ArrayList<>();
        for (Future<Reply> f : replies) {
            done.add(f.get());
        }
        pool.shutdown();

        long signed = done.stream().filter(r -> r.status() == 201).count();
        long refused = done.stream()
                .filter(r ->
                        r.status() == 429 && r.body().get("error").asString().equals("quota_exceeded"))
                .count();
        assertThat(signed).isEqualTo(7);
        assertThat(refused).isEqualTo(43);
        long reserved = jdbc.sql("select bytes_reserved from accounts where user_id = ?")
                .param(user)
                .query(Long.class)
                .single();
        long sumOfSigned = jdbc.sql("select sum(declared_size) from uploads where user_id = ? and status = 'RESERVED'")
                .param(user)
                .query(Long.class)
                .single();
        assertThat(reserved).isEqualTo(sumOfSigned);
        assertThat(jdbc.sql("select objects_reserved from accounts where user_id = ?")
                        .param(user)
                        .query(Long.class)
                        .single())
                .isEqualTo(7);
    }
}
