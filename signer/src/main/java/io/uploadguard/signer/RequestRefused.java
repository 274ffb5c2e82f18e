package io.uploadguard.signer;

/** Carries a {@link Refusal} out of parsing and validation; never a server error. */
final class RequestRefused extends RuntimeException {

    private final Refusal refusal;

    RequestRefused(Refusal refusal) {
        super(refusal.body().message(), null, false, false);
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }
}
