-- The books: one account per user, one row per object. Only QuotaLedger writes them.
-- The CHECKs are a last line of defence: a booking that would count something twice fails loudly
-- instead of driving a counter below zero.

CREATE TABLE accounts (
    user_id           text        PRIMARY KEY,
    user_segment      text        NOT NULL UNIQUE,
    bytes_used        bigint      NOT NULL DEFAULT 0 CHECK (bytes_used >= 0),
    objects_used      bigint      NOT NULL DEFAULT 0 CHECK (objects_used >= 0),
    bytes_reserved    bigint      NOT NULL DEFAULT 0 CHECK (bytes_reserved >= 0),
    objects_reserved  bigint      NOT NULL DEFAULT 0 CHECK (objects_reserved >= 0),
    violations        integer     NOT NULL DEFAULT 0 CHECK (violations >= 0),
    blocked_until     timestamptz,
    blocked_reason    text,
    -- fixed one-minute window for signed-URL rate limiting; null until the first signature
    rate_window_start timestamptz,
    rate_window_count integer     NOT NULL DEFAULT 0 CHECK (rate_window_count >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE uploads (
    upload_id       uuid        PRIMARY KEY,
    -- null only for an object written with no reservation by a user we do not know
    user_id         text        REFERENCES accounts (user_id),
    profile         text,
    bucket          text        NOT NULL,
    -- the incoming key the object was written to
    object_key      text        NOT NULL,
    -- where the object is now: incoming, served or quarantine key; null once it is gone
    current_key     text,
    declared_type   text,
    declared_size   bigint      CHECK (declared_size > 0),
    checksum_sha256 text,
    filename        text,
    status          text        NOT NULL
                    CHECK (status IN ('RESERVED', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'REMOVED', 'GONE')),
    reasons         text[]      NOT NULL DEFAULT '{}',
    action          text        CHECK (action IN ('PROMOTED', 'QUARANTINED', 'DELETED')),
    real_size       bigint      CHECK (real_size >= 0),
    detected_type   text,
    etag            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    settled_at      timestamptz,
    removed_at      timestamptz,
    CONSTRAINT uploads_bucket_object_key_key UNIQUE (bucket, object_key),
    -- releasing or settling a reservation needs to know whose it is and what it holds
    CONSTRAINT uploads_reservation_complete CHECK (status <> 'RESERVED' OR (user_id IS NOT NULL
        AND declared_type IS NOT NULL AND declared_size IS NOT NULL AND expires_at IS NOT NULL)),
    -- removing an accepted object gives its real size back
    CONSTRAINT uploads_accepted_has_size CHECK (status <> 'ACCEPTED' OR real_size IS NOT NULL)
);

-- a user's history, newest first
CREATE INDEX uploads_user_history ON uploads (user_id, created_at DESC);
-- the reservations waiting to expire; small, since settled rows leave it
CREATE INDEX uploads_reserved_expiry ON uploads (expires_at) WHERE status = 'RESERVED';
-- ObjectRemoved events name where the object was, not where it was first written
CREATE INDEX uploads_current_key ON uploads (bucket, current_key) WHERE current_key IS NOT NULL;
