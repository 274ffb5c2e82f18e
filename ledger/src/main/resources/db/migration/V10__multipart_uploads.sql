-- Multipart uploads (issue 16): what the signer needs to sign parts, complete and abort an upload it
-- started with CreateMultipartUpload. A table of its own, one row per multipart upload, keyed by its
-- uploads row: uploads' row shape stays, which reserve_upload (V4, V6) and reserve_uploads (V9)
-- return column by column, so reservations keep their code and their semantics. The uploads row
-- is the reservation (the whole declared size, expiring with the upload); this row is its plan.
--
-- state: OPEN (parts may be uploaded, the signer may complete), COMPLETED (the signer completed it
-- in S3; the enforcer books the object as for a single PUT), ABORTED (aborted in S3, or found gone
-- there, and its reservation released; abort_reason says who: CLIENT, EXPIRED, CREATE_FAILED).

CREATE TABLE multipart_uploads (
    upload_id          uuid        PRIMARY KEY REFERENCES uploads (upload_id),
    -- S3's UploadId from CreateMultipartUpload; null only when that call failed (state ABORTED)
    s3_upload_id       text        CHECK (s3_upload_id IS NOT NULL OR state = 'ABORTED'),
    part_size          bigint      NOT NULL CHECK (part_size > 0),
    part_count         integer     NOT NULL CHECK (part_count BETWEEN 1 AND 10000),
    -- SHA256 when the client asked for per-part checksums, else null
    checksum_algorithm text        CHECK (checksum_algorithm IN ('SHA256')),
    state              text        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'COMPLETED', 'ABORTED')),
    created_at         timestamptz NOT NULL,
    completed_at       timestamptz,
    aborted_at         timestamptz,
    abort_reason       text,
    CONSTRAINT multipart_uploads_completed_at CHECK (state <> 'COMPLETED' OR completed_at IS NOT NULL),
    CONSTRAINT multipart_uploads_aborted CHECK (state <> 'ABORTED' OR (aborted_at IS NOT NULL
        AND abort_reason IS NOT NULL))
);

-- the releaser's look-up of open uploads past their expiry; small, since finished rows leave it
CREATE INDEX multipart_uploads_open ON multipart_uploads (upload_id) WHERE state = 'OPEN';
