package io.uploadguard.ledger.policy;

/** Which of a user's limits a request or a release would go over. */
public enum QuotaKind {
    BYTES("bytes"),
    OBJECTS("objects");

    private final String label;

    QuotaKind(String label) {
        this.label = label;
    }

    /** How messages to users and operators name it: {@code bytes} or {@code objects}. */
    public String label() {
        return label;
    }
}
