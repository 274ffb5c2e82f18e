-- Reconciliation's repair sets account counters back to the sums of their upload rows: an operator
-- action like the others, so it is written to the audit log in the same transaction.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('BLOCK', 'UNBLOCK', 'RELEASE', 'PURGE', 'REPAIR'));

-- Reconciliation walks the rows of a prefix in the order S3 lists keys (bytewise), a page at a time.
CREATE INDEX uploads_current_key_bytewise ON uploads (bucket, (current_key COLLATE "C"), upload_id)
    WHERE current_key IS NOT NULL;
