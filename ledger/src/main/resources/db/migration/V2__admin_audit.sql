-- The admin API: every operator action is written here, in the same transaction as the change it
-- made, so the books never show an effect without who did it and why.

CREATE TABLE audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL,
    -- the admin token's user claim
    actor      text        NOT NULL CHECK (actor <> ''),
    action     text        NOT NULL CHECK (action IN ('BLOCK', 'UNBLOCK', 'RELEASE', 'PURGE')),
    -- the user acted on; for a quarantined object, its owner (null for an object of nobody we know)
    user_id    text,
    upload_id  uuid,
    reason     text        NOT NULL CHECK (reason <> ''),
    -- what the action changed, for the record: previous block, sizes, keys, whether forced
    details    jsonb       NOT NULL DEFAULT '{}'
);

-- a user's history, newest first
CREATE INDEX audit_log_user ON audit_log (user_id, at DESC, id DESC) WHERE user_id IS NOT NULL;
-- whether an object was released by an operator (and so a repeated release is a repeat)
CREATE INDEX audit_log_upload ON audit_log (upload_id, action) WHERE upload_id IS NOT NULL;

-- a purged quarantined object stays REJECTED (its verdict) and records that it was purged
ALTER TABLE uploads DROP CONSTRAINT uploads_action_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_action_check
    CHECK (action IN ('PROMOTED', 'QUARANTINED', 'DELETED', 'PURGED'));

-- the quarantine, newest first, for everybody and per user; the listing pages by (settled_at, upload_id)
CREATE INDEX uploads_quarantined ON uploads (settled_at DESC, upload_id DESC)
    WHERE action = 'QUARANTINED' AND current_key IS NOT NULL;
CREATE INDEX uploads_quarantined_by_user ON uploads (user_id, settled_at DESC, upload_id DESC)
    WHERE action = 'QUARANTINED' AND current_key IS NOT NULL;
