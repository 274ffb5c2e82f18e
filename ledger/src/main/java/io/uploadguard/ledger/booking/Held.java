package io.uploadguard.ledger.booking;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.UploadStatus;

/** What an upload holds against its user's reservations, or the sum for a user. */
record Held(String userId, long bytes, long objects) {

    static final Held NOTHING = new Held(null, 0, 0);

    static Held by(Upload upload) {
        return upload.status() == UploadStatus.RESERVED ? new Held(upload.userId(), upload.declaredSize(), 1) : NOTHING;
    }
}
