-- Malware scanning (issue 18). The verdict's reasons (MALWARE, SCAN_FAILED) go in uploads.reasons
-- like every other reason; this table keeps what the reasons alone cannot say. A table of its own
-- rather than columns of uploads, whose row shape reserve_upload() (V4) returns column by column.

CREATE TABLE upload_scans (
    upload_id     uuid        PRIMARY KEY REFERENCES uploads (upload_id),
    -- the names the scanner reported for an object rejected as MALWARE; null when none
    signatures    text[],
    -- when the enforcer first held the object because the scanner could not be reached (its
    -- message is left on the queue and comes back); null when it never waited. The upload's status
    -- stays what it was (RESERVED holds the quota as before): a held object awaits its verdict.
    pending_since timestamptz
);

-- the objects that waited for the scanner, for operators
CREATE INDEX upload_scans_pending ON upload_scans (pending_since) WHERE pending_since IS NOT NULL;
