-- report_refresh_stage_stays (migrations 0020, 0025) in PL/pgSQL, same statements: PostgreSQL before 18 plans a
-- LANGUAGE sql function's statements again on every call, PL/pgSQL keeps their plans for the session. The
-- function runs in the trigger of every deal_events insert, so once per stage change: 1.64 → 1.47 ms for the
-- board's move on PostgreSQL 15 (issue #11; PGlite, PostgreSQL 18, already cached the SQL function's plans).
-- The same statements as migration 0025's version: the bucket locks first (one of 256 per deal, in a fixed order),
-- then the refresh.
CREATE OR REPLACE FUNCTION report_refresh_stage_stays(ws uuid[], ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(43001, b.bucket)
  FROM (SELECT DISTINCT hashtext(t.deal_id::text) & 255 AS bucket FROM unnest(ids) AS t(deal_id) WHERE t.deal_id IS NOT NULL) b ORDER BY b.bucket;
  DELETE FROM report_stage_stays WHERE deal_id = ANY(ids);
  INSERT INTO report_stage_stays (event_id, workspace_id, deal_id, stage_id, began_at, ended_at)
  SELECT e.id, e.workspace_id, e.deal_id, CASE WHEN e.type = 'stage_changed' THEN e.from_stage_id ELSE e.to_stage_id END, b.began_at, e.occurred_at
  FROM (SELECT DISTINCT t.workspace_id, t.deal_id FROM unnest(ws, ids) AS t(workspace_id, deal_id)) d
  JOIN deal_events e ON e.workspace_id = d.workspace_id AND e.deal_id = d.deal_id
  CROSS JOIN LATERAL (
    SELECT p.occurred_at AS began_at FROM deal_events p
    WHERE p.workspace_id = e.workspace_id AND p.deal_id = e.deal_id AND p.type IN ('created', 'stage_changed', 'reopened')
      AND (p.occurred_at, p.id) < (e.occurred_at, e.id)
    ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1) b
  WHERE e.type IN ('stage_changed', 'won', 'lost')
    AND CASE WHEN e.type = 'stage_changed' THEN e.from_stage_id ELSE e.to_stage_id END IS NOT NULL;
END $$;
