-- Group commit for reservations: the signer's concurrent requests are gathered (ReservationBatches)
-- and booked by one call of reserve_uploads, one statement and one commit for the whole batch.
-- Per reservation, reserve_upload (V4) cost PostgreSQL a statement, four inner statements (account
-- lock, upload look-up, account update, upload insert) and a commit; a batch costs about six
-- statements and one commit in all.
--
-- The rules are reserve_upload's, applied row by row in a fixed order (user id, then the order of
-- the requests in the batch): a user's requests in one batch are checked one after the other
-- against the books as the earlier ones left them, so per-user strictness holds as with one call
-- per request. Accounts are locked in user id order, as everywhere in the ledger. A refusal books
-- nothing: an account made for a request that is refused (and for no other request of the batch
-- that is granted) is deleted again. A repeated upload id answers the reservation already made, or
-- OTHER_USER if it is someone else's. The caller sends each upload id at most once per batch.
--
-- p_client_references: each request's client reference (nullable), for V6's uploads.client_reference;
-- once that column exists, add it to the INSERT below (the argument is there so that callers and
-- this signature need not change).

CREATE FUNCTION reserve_uploads(
    p_upload_ids uuid[], p_user_ids text[], p_user_segments text[], p_profiles text[], p_buckets text[],
    p_keys text[], p_content_types text[], p_sizes bigint[], p_checksums text[], p_filenames text[],
    p_client_references text[], p_nows timestamptz[], p_expires_ats timestamptz[],
    p_max_bytes bigint[], p_max_objects bigint[], p_max_per_minutes integer[])
RETURNS TABLE (
    -- the request's position in the arrays, from 1
    ord integer,
    -- as reserve_upload's (V4)
    outcome text, refused_until timestamptz, refused_why text, quota_limit bigint, would_be bigint,
    upload_id uuid, user_id text, profile text, bucket text, object_key text, current_key text,
    declared_type text, declared_size bigint, checksum_sha256 text, filename text, status text,
    reasons text[], action text, real_size bigint, detected_type text, etag text,
    created_at timestamptz, expires_at timestamptz, settled_at timestamptz, removed_at timestamptz,
    client_reference text)
LANGUAGE plpgsql
-- A batch is at most a few hundred rows, looked up by key in tables of millions: always probe the
-- indexes. Planned for an unknown array length, the statements below otherwise chose hash joins over
-- sequential scans of uploads and accounts (seen in pg_stat_user_tables: 12,000 sequential scans of
-- uploads reading 171 million rows in one benchmark run).
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
#variable_conflict use_column
DECLARE
    created text[];
    r record;
    current_user_id text;
    window_start timestamptz;
    window_count integer;
    added_bytes numeric;
    added_objects integer;
    bytes_would_be numeric;
    objects_would_be numeric;
    verdict text;
    granted integer[] := '{}';
    repeated integer[] := '{}';
    booked_users text[] := '{}';
    booked_bytes bigint[] := '{}';
    booked_objects integer[] := '{}';
    booked_window_starts timestamptz[] := '{}';
    booked_window_counts integer[] := '{}';
    booked_nows timestamptz[] := '{}';
    max_bigint CONSTANT numeric := 9223372036854775807;
BEGIN
    WITH made AS (
        INSERT INTO accounts AS a (user_id, user_segment, created_at, updated_at)
        SELECT DISTINCT ON (x.u) x.u, x.s, x.n, x.n
          FROM unnest(p_user_ids, p_user_segments, p_nows) AS x(u, s, n)
         ORDER BY x.u, x.n
        -- any unique index, not only user_id's: two batches making the same account at once may
        -- meet first on user_segment's, which ON CONFLICT (user_id) turns into an error
        ON CONFLICT DO NOTHING
        RETURNING a.user_id)
    SELECT coalesce(array_agg(made.user_id), '{}') INTO created FROM made;
    PERFORM 1 FROM accounts a WHERE a.user_id = ANY (p_user_ids) ORDER BY a.user_id FOR UPDATE;

    -- the accounts as locked (a statement after the lock reads their latest version)
    FOR r IN
        SELECT x.i, x.u, x.size, x.now_at, x.max_bytes, x.max_objects, x.max_per_minute,
               e.user_id AS owner, e.upload_id IS NOT NULL AS exists_already,
               a.bytes_used, a.bytes_reserved, a.objects_used, a.objects_reserved,
               a.blocked_until, a.blocked_reason, a.rate_window_start, a.rate_window_count
          FROM unnest(p_user_ids, p_upload_ids, p_sizes, p_nows, p_max_bytes, p_max_objects, p_max_per_minutes)
               WITH ORDINALITY AS x(u, id, size, now_at, max_bytes, max_objects, max_per_minute, i)
          JOIN accounts a ON a.user_id = x.u
          LEFT JOIN uploads e ON e.upload_id = x.id
         ORDER BY x.u, x.i
    LOOP
        IF r.u IS DISTINCT FROM current_user_id THEN
            current_user_id := r.u;
            window_start := r.rate_window_start;
            window_count := r.rate_window_count;
            added_bytes := 0;
            added_objects := 0;
        END IF;

        IF r.exists_already THEN
            IF r.owner IS DISTINCT FROM r.u THEN
                ord := r.i;
                outcome := 'OTHER_USER';
                refused_until := NULL; refused_why := NULL; quota_limit := NULL; would_be := NULL;
                RETURN NEXT;
            ELSE
                repeated := repeated || r.i::integer;
            END IF;
            CONTINUE;
        END IF;

        IF window_start IS NULL OR NOT r.now_at < window_start + interval '1 minute' THEN
            window_start := r.now_at;
            window_count := 0;
        END IF;
        bytes_would_be := LEAST(r.bytes_used::numeric + r.bytes_reserved + added_bytes + r.size, max_bigint);
        objects_would_be := LEAST(r.objects_used::numeric + r.objects_reserved + added_objects + 1, max_bigint);
        verdict := NULL;
        IF r.blocked_until IS NOT NULL AND r.blocked_until > r.now_at THEN
            verdict := 'BLOCKED';
        ELSIF window_count >= r.max_per_minute THEN
            verdict := 'RATE_LIMITED';
        ELSIF bytes_would_be > r.max_bytes THEN
            verdict := 'QUOTA_BYTES';
        ELSIF objects_would_be > r.max_objects THEN
            verdict := 'QUOTA_OBJECTS';
        END IF;

        IF verdict IS NULL THEN
            window_count := window_count + 1;
            added_bytes := added_bytes + r.size;
            added_objects := added_objects + 1;
            granted := granted || r.i::integer;
            -- the user's books after this grant: the last grant of each user is what is written
            booked_users := booked_users || current_user_id;
            booked_bytes := booked_bytes || added_bytes::bigint;
            booked_objects := booked_objects || added_objects;
            booked_window_starts := booked_window_starts || window_start;
            booked_window_counts := booked_window_counts || window_count;
            booked_nows := booked_nows || r.now_at;
        ELSE
            ord := r.i;
            outcome := verdict;
            refused_until := CASE verdict WHEN 'BLOCKED' THEN r.blocked_until
                                          WHEN 'RATE_LIMITED' THEN window_start + interval '1 minute' END;
            refused_why := CASE verdict WHEN 'BLOCKED' THEN r.blocked_reason END;
            quota_limit := CASE verdict WHEN 'QUOTA_BYTES' THEN r.max_bytes WHEN 'QUOTA_OBJECTS' THEN r.max_objects END;
            would_be := CASE verdict WHEN 'QUOTA_BYTES' THEN bytes_would_be::bigint
                                     WHEN 'QUOTA_OBJECTS' THEN objects_would_be::bigint END;
            RETURN NEXT;
        END IF;
    END LOOP;

    UPDATE accounts a
       SET bytes_reserved = a.bytes_reserved + b.bytes,
           objects_reserved = a.objects_reserved + b.objects,
           rate_window_start = b.window_start,
           rate_window_count = b.window_count,
           updated_at = b.at
      FROM (SELECT DISTINCT ON (x.u) x.*
              FROM unnest(booked_users, booked_bytes, booked_objects, booked_window_starts, booked_window_counts,
                          booked_nows) WITH ORDINALITY AS x(u, bytes, objects, window_start, window_count, at, k)
             ORDER BY x.u, x.k DESC) AS b
     WHERE a.user_id = b.u;
    -- refused first requests leave no trace
    DELETE FROM accounts a WHERE a.user_id = ANY (created) AND a.user_id <> ALL (booked_users);

    RETURN QUERY
    WITH booked AS (
        INSERT INTO uploads AS n (upload_id, user_id, profile, bucket, object_key, current_key, declared_type,
                                  declared_size, checksum_sha256, filename, status,
                                  created_at, expires_at, client_reference)
        SELECT p_upload_ids[g.i], p_user_ids[g.i], p_profiles[g.i], p_buckets[g.i], p_keys[g.i], p_keys[g.i],
               p_content_types[g.i], p_sizes[g.i], p_checksums[g.i], p_filenames[g.i],
               'RESERVED', p_nows[g.i], p_expires_ats[g.i], p_client_references[g.i]
          FROM unnest(granted) AS g(i)
         ORDER BY g.i
        RETURNING n.*),
    answered AS (
        SELECT * FROM booked
        UNION ALL
        SELECT u.* FROM uploads u WHERE u.upload_id = ANY (SELECT p_upload_ids[k] FROM unnest(repeated) AS k)
    )
    SELECT q.i::integer, 'RESERVED'::text, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint,
           w.upload_id, w.user_id, w.profile, w.bucket, w.object_key, w.current_key, w.declared_type,
           w.declared_size, w.checksum_sha256, w.filename, w.status, w.reasons, w.action, w.real_size,
           w.detected_type, w.etag, w.created_at, w.expires_at, w.settled_at, w.removed_at,
           w.client_reference
      FROM answered w
      JOIN unnest(p_upload_ids) WITH ORDINALITY AS q(id, i) ON q.id = w.upload_id;
END
$$;
