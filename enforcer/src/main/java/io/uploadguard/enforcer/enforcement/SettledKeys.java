package io.uploadguard.enforcer.enforcement;

import io.uploadguard.ledger.booking.SettleOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The incoming keys whose verdict this process has just booked, so that the removal event of its
 * own delete from the incoming area (one per object, a second SQS message) is settled without a
 * ledger look-up: the look-up could only answer "settled", since a booked verdict is final.
 *
 * <p>Only what this process saw booked is here: a key it moved and did not book (a crash between
 * acting and booking, another instance's work, an uploader's own delete) is not, and its removal
 * takes the full path, which is what crash recovery relies on. A key is forgotten at its first
 * removal event (a redelivered one looks it up again) and, past {@link #CAPACITY} keys, oldest
 * first: forgetting costs one look-up, never a wrong answer.
 */
@Component
class SettledKeys {

    /** Removal events come within seconds of the booking; this covers a backlog of thousands. */
    static final int CAPACITY = 8192;

    private final Map<String, Boolean> keys = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Remembers the key if the booking left its upload with a verdict. */
    void booked(String bucket, String key, SettleOutcome outcome) {
        if (outcome.resulting().filter(u -> !u.awaitsVerdict()).isPresent()) {
            synchronized (keys) {
                keys.put(id(bucket, key), Boolean.TRUE);
            }
        }
    }

    /** Whether this process booked the key's verdict (and forgets it: one removal event per delete). */
    boolean takeSettled(String bucket, String key) {
        synchronized (keys) {
            return keys.remove(id(bucket, key)) != null;
        }
    }

    private static String id(String bucket, String key) {
        return bucket + '\n' + key;
    }
}
