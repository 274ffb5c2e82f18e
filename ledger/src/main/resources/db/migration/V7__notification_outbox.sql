-- Verdict notifications: a transactional outbox. Every booking that backends hear about (a verdict,
-- a replay, a removal, an object gone, a release or purge by an operator, a block or unblock)
-- writes its event here in the same transaction as the booking: nothing is announced that was not
-- booked, nothing booked goes unannounced. A booking that changes nothing writes nothing.
--
-- The enforcer's dispatcher fans each event out to the channels configured then (one delivery row
-- per channel whose filters match) and delivers them at least once, in order per upload.

CREATE TABLE notification_outbox (
    -- the event id: what receivers deduplicate by, the same on every attempt and every channel
    id            uuid        PRIMARY KEY,
    -- the booking order; events of one upload (or one user) are delivered in this order
    sequence      bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    -- the upload id, or 'user:' and the user id for user events: the unit of ordering
    order_key     text        NOT NULL,
    upload_id     uuid        REFERENCES uploads (upload_id),
    user_id       text,
    type          text        NOT NULL CHECK (type IN ('upload.accepted', 'upload.rejected', 'upload.removed',
                              'upload.gone', 'upload.released', 'upload.purged', 'user.blocked', 'user.unblocked')),
    -- the event exactly as every channel sends it (json, not jsonb: the text is kept as written)
    payload       json        NOT NULL,
    profile       text,
    created_at    timestamptz NOT NULL,
    -- when the dispatcher wrote its delivery rows; null until then
    fanned_out_at timestamptz
);

-- the events waiting to be fanned out; small, since fanned-out rows leave it
CREATE INDEX notification_outbox_unfanned ON notification_outbox (sequence) WHERE fanned_out_at IS NULL;
-- the order check: earlier events of the same upload
CREATE INDEX notification_outbox_order ON notification_outbox (order_key, sequence);

CREATE TABLE notification_deliveries (
    event_id        uuid        NOT NULL REFERENCES notification_outbox (id),
    -- a configured channel's name: bounded by configuration, never by users
    channel         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- when it may be tried next; while an attempt runs, when that attempt's lease ends
    next_attempt_at timestamptz NOT NULL,
    -- after this it is marked failed instead of tried again
    retry_until     timestamptz NOT NULL,
    last_error      text,
    delivered_at    timestamptz,
    failed_at       timestamptz,
    PRIMARY KEY (event_id, channel)
);

-- what the dispatcher polls; small, since settled rows leave it
CREATE INDEX notification_deliveries_due ON notification_deliveries (channel, next_attempt_at)
    WHERE status = 'PENDING';
-- the admin API's list of failed deliveries, newest first
CREATE INDEX notification_deliveries_failed ON notification_deliveries (failed_at DESC) WHERE status = 'FAILED';
