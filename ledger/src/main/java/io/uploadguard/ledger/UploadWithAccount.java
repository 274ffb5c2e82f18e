package io.uploadguard.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * An upload row and its user's account row, read together: what a verdict needs from the ledger.
 *
 * @param account empty when the upload has no user, or its user no account
 */
public record UploadWithAccount(Upload upload, Optional<Account> account) {

    public UploadWithAccount {
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(account, "account");
    }
}
