-- An object written again with a presigned URL whose upload was already settled. If-None-Match
-- only guards a key that exists; once the enforcer has moved the first object away, the same URL
-- writes again until it expires. Such an object has no reservation: the enforcer deletes it, and
-- this is the record of why, charged to the upload's user as a violation.

CREATE TABLE replayed_uploads (
    bucket      text        NOT NULL,
    object_key  text        NOT NULL,
    -- the event's sequencer (its ETag when the event has none): a redelivered event books nothing new
    event_key   text        NOT NULL,
    upload_id   uuid        NOT NULL REFERENCES uploads (upload_id),
    user_id     text        REFERENCES accounts (user_id),
    real_size   bigint      NOT NULL CHECK (real_size >= 0),
    etag        text,
    reasons     text[]      NOT NULL CHECK (cardinality(reasons) > 0),
    action      text        NOT NULL CHECK (action IN ('DELETED')),
    at          timestamptz NOT NULL,
    PRIMARY KEY (bucket, object_key, event_key)
);

CREATE INDEX replayed_uploads_user ON replayed_uploads (user_id, at DESC) WHERE user_id IS NOT NULL;
