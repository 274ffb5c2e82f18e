package io.uploadguard.enforcer.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.enforcer.EnforcerIntegrationTest;
import io.uploadguard.ledger.UploadStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** After a mixed run of 200 uploads, every user's books equal the sum of their accepted objects. */
@Tag("integration")
class MixedRunBooksTest extends EnforcerIntegrationTest {

    @Test
    void theBooksEqualTheAcceptedSizesExactly() {
        List<String> honestUsers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            honestUsers.add(newUser());
        }
        Map<String, Long> expectedBytes = new HashMap<>();
        Map<String, Long> expectedObjects = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i % 4 == 3) {
                // a disguised page, each from its own user so that nobody reaches the block threshold
                keys.add(upload(newUser(), "avatar", "image/png", html(300 + i)).key());
            } else {
                String user = honestUsers.get(i % honestUsers.size());
                int size = 100 + i * 13;
                keys.add(upload(user, "avatar", "image/png", png(size)).key());
                expectedBytes.merge(user, (long) size, Long::sum);
                expectedObjects.merge(user, 1L, Long::sum);
            }
        }

        long accepted = keys.stream()
                .map(this::awaitVerdict)
                .filter(u -> u.status() == UploadStatus.ACCEPTED)
                .count();

        assertThat(accepted).isEqualTo(150);
        for (String user : honestUsers) {
            var account = account(user).orElseThrow();
            assertThat(account.get("bytes_used")).as("bytes of %s", user).isEqualTo(expectedBytes.get(user));
            assertThat(account.get("objects_used")).isEqualTo(expectedObjects.get(user));
            assertThat(account.get("bytes_reserved")).isEqualTo(0L);
            long sumAccepted = jdbc.sql(
                            "select coalesce(sum(real_size), 0) from uploads where user_id = ? and status = 'ACCEPTED'")
                    .param(user)
                    .query(Long.class)
                    .single();
            assertThat(sumAccepted).isEqualTo(expectedBytes.get(user));
        }
    }
}
