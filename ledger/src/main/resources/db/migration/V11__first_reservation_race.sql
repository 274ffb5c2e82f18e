-- The first requests of a new user, at once, on the one-at-a-time path (reserve_upload, V6: the
-- group commit's fallback and the only path before V9) make the same account together. The second
-- insert can meet the first on user_segment's unique index before user_id's, and
-- ON CONFLICT (user_id) turns that into a unique violation: a 500 for a request that fits. ON
-- CONFLICT DO NOTHING covers every unique index (as reserve_uploads, V9, already does); the SELECT
-- ... FOR UPDATE after it then waits for and reads the account the other request made.
--
-- Only that clause differs from V6's function.

CREATE OR REPLACE FUNCTION reserve_upload(
    p_upload_id uuid, p_user_id text, p_user_segment text, p_profile text, p_bucket text, p_key text,
    p_content_type text, p_size bigint, p_checksum text, p_filename text,
    p_now timestamptz, p_expires_at timestamptz,
    p_max_bytes bigint, p_max_objects bigint, p_max_per_minute integer, p_client_reference text)
RETURNS TABLE (
    -- RESERVED, OTHER_USER (the upload id is someone else's), BLOCKED, RATE_LIMITED, QUOTA_BYTES, QUOTA_OBJECTS
    outcome text,
    -- BLOCKED: blocked until; RATE_LIMITED: when the rate window ends
    refused_until timestamptz,
    -- BLOCKED: why
    refused_why text,
    -- QUOTA_*: the limit, and used + reserved + this request
    quota_limit bigint,
    would_be bigint,
    -- the uploads row, in the table's column order
    upload_id uuid, user_id text, profile text, bucket text, object_key text, current_key text,
    declared_type text, declared_size bigint, checksum_sha256 text, filename text, status text,
    reasons text[], action text, real_size bigint, detected_type text, etag text,
    created_at timestamptz, expires_at timestamptz, settled_at timestamptz, removed_at timestamptz,
    client_reference text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    a accounts;
    u uploads;
    created integer := 0;
    window_start timestamptz;
    window_count integer;
    bytes_would_be numeric;
    objects_would_be numeric;
    max_bigint CONSTANT numeric := 9223372036854775807;
BEGIN
    SELECT * INTO a FROM accounts WHERE accounts.user_id = p_user_id FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO accounts (user_id, user_segment, created_at, updated_at)
        VALUES (p_user_id, p_user_segment, p_now, p_now)
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS created = ROW_COUNT;
        SELECT * INTO a FROM accounts WHERE accounts.user_id = p_user_id FOR UPDATE;
    END IF;

    SELECT * INTO u FROM uploads WHERE uploads.upload_id = p_upload_id;
    IF FOUND THEN
        IF u.user_id IS DISTINCT FROM p_user_id THEN
            IF created = 1 THEN
                DELETE FROM accounts WHERE accounts.user_id = p_user_id;
            END IF;
            RETURN QUERY SELECT 'OTHER_USER'::text, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint,
                                (NULL::uploads).*;
        ELSE
            RETURN QUERY SELECT 'RESERVED'::text, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint, (u).*;
        END IF;
        RETURN;
    END IF;

    window_start := a.rate_window_start;
    window_count := a.rate_window_count;
    IF window_start IS NULL OR NOT p_now < window_start + interval '1 minute' THEN
        window_start := p_now;
        window_count := 0;
    END IF;
    bytes_would_be := LEAST(a.bytes_used::numeric + a.bytes_reserved + p_size, max_bigint);
    objects_would_be := LEAST(a.objects_used::numeric + a.objects_reserved + 1, max_bigint);

    IF a.blocked_until IS NOT NULL AND a.blocked_until > p_now THEN
        outcome := 'BLOCKED';
    ELSIF window_count >= p_max_per_minute THEN
        outcome := 'RATE_LIMITED';
    ELSIF bytes_would_be > p_max_bytes THEN
        outcome := 'QUOTA_BYTES';
    ELSIF objects_would_be > p_max_objects THEN
        outcome := 'QUOTA_OBJECTS';
    END IF;
    IF outcome IS NOT NULL THEN
        IF created = 1 THEN
            -- this call made the account and refuses its first request: it leaves no trace
            DELETE FROM accounts WHERE accounts.user_id = p_user_id;
        END IF;
        RETURN QUERY SELECT outcome,
                            CASE outcome WHEN 'BLOCKED' THEN a.blocked_until
                                         WHEN 'RATE_LIMITED' THEN window_start + interval '1 minute' END,
                            CASE outcome WHEN 'BLOCKED' THEN a.blocked_reason END,
                            CASE outcome WHEN 'QUOTA_BYTES' THEN p_max_bytes WHEN 'QUOTA_OBJECTS' THEN p_max_objects END,
                            CASE outcome WHEN 'QUOTA_BYTES' THEN bytes_would_be::bigint
                                         WHEN 'QUOTA_OBJECTS' THEN objects_would_be::bigint END,
                            (NULL::uploads).*;
        RETURN;
    END IF;

    UPDATE accounts
       SET bytes_reserved = bytes_reserved + p_size,
           objects_reserved = objects_reserved + 1,
           rate_window_start = window_start,
           rate_window_count = window_count + 1,
           updated_at = p_now
     WHERE accounts.user_id = p_user_id;
    INSERT INTO uploads (upload_id, user_id, profile, bucket, object_key, current_key, declared_type,
                         declared_size, checksum_sha256, filename, status, created_at, expires_at,
                         client_reference)
    VALUES (p_upload_id, p_user_id, p_profile, p_bucket, p_key, p_key, p_content_type,
            p_size, p_checksum, p_filename, 'RESERVED', p_now, p_expires_at, p_client_reference)
    RETURNING * INTO u;
    RETURN QUERY SELECT 'RESERVED'::text, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint, (u).*;
END
$$;
