package io.uploadguard.enforcer.enforcement;

import io.uploadguard.enforcer.inspection.Inspection;
import io.uploadguard.enforcer.inspection.MediaTypes;
import io.uploadguard.ledger.Account;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.policy.Quota;
import io.uploadguard.ledger.policy.Reason;
import io.uploadguard.ledger.policy.UploadProfile;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Decides what becomes of an inspected object: accept, or reject with every reason that applies,
 * in {@link Reason}'s order. Pure: it reads nothing and changes nothing.
 *
 * <p>Who the object belongs to comes from the ledger row only. The object's {@code user-id} and
 * {@code upload-id} metadata are never consulted: an S3-compatible store may accept extra unsigned
 * metadata (S3Proxy does), so they are whatever the uploader wanted them to be.
 */
@Component
public class VerdictRules {

    /**
     * @param reservation the ledger row written when the URL was signed; empty if there is none
     * @param profile the reservation's upload profile as configured now; empty if there is no
     *     reservation or the profile is no longer configured
     * @param account the reservation's user, or without a reservation the user the key's user segment
     *     names, if any
     * @param quota the quota of that user
     */
    public Verdict decide(
            Inspection inspection,
            Optional<Upload> reservation,
            Optional<UploadProfile> profile,
            Optional<Account> account,
            Quota quota,
            Instant now) {
        Objects.requireNonNull(inspection, "inspection");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(now, "now");
        Set<Reason> reasons = EnumSet.noneOf(Reason.class);
        boolean blocked = account.isPresent() && account.get().isBlocked(now);

        // a row without a declared type and size is the ledger's record of an object written with no
        // reservation (see Upload), not a reservation
        Optional<Upload> reserved = reservation.filter(u -> u.declaredType() != null && u.declaredSize() != null);
        if (reserved.isEmpty()) {
            // no profile applies, so no type or size rule can: the object is a violation of its own
            reasons.add(Reason.NO_RESERVATION);
            if (blocked) {
                reasons.add(Reason.USER_BLOCKED);
            }
            return verdict(reasons);
        }
        Upload upload = reserved.get();
        long realSize = inspection.realSize();
        String detected = inspection.detectedType();

        if (profile.isPresent() && realSize > profile.get().maxSize().toBytes()) {
            reasons.add(Reason.TOO_LARGE);
        }
        if (realSize != upload.declaredSize()) {
            reasons.add(Reason.SIZE_MISMATCH);
        }
        // a profile removed from the configuration since signing allows nothing any more: accepting
        // under a policy that no longer exists would serve objects nobody now vouches for
        if (profile.isEmpty()
                || profile.get().allowedTypes().stream().noneMatch(t -> MediaTypes.sameFamily(t, detected))) {
            reasons.add(Reason.TYPE_NOT_ALLOWED);
        }
        boolean storedAsDeclared = MediaTypes.normalize(inspection.storedContentType())
                .equals(MediaTypes.normalize(upload.declaredType()));
        if (!MediaTypes.sameFamily(upload.declaredType(), detected) || !storedAsDeclared) {
            reasons.add(Reason.TYPE_MISMATCH);
        }
        // the reservation's own bytes already count in bytesReserved; what matters is what the user
        // would hold as used once this object is accepted
        if (account.isPresent()) {
            Account a = account.get();
            // used + realSize > maxBytes and used + 1 > maxObjects, written so that no sum can overflow
            if (a.bytesUsed() > quota.maxBytes() - realSize || a.objectsUsed() >= quota.maxObjects()) {
                reasons.add(Reason.QUOTA_EXCEEDED);
            }
        }
        if (blocked) {
            reasons.add(Reason.USER_BLOCKED);
        }
        return verdict(reasons);
    }

    private static Verdict verdict(Set<Reason> reasons) {
        return reasons.isEmpty() ? Verdict.accept() : Verdict.reject(List.copyOf(reasons));
    }
}
