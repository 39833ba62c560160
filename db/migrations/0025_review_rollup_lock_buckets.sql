-- Bulk writes (an import of 50,000 deals in one transaction) ran out of lock slots: migration 0024 took one
-- transaction-level advisory lock per deal or customer, and the lock table holds max_locks_per_transaction ×
-- max_connections entries (6,400 by default, shared by every session; "out of shared memory" beyond). The refreshes
-- now lock one of 256 buckets per rollup instead (two-key advisory locks: the rollup, then a hash bucket of the deal
-- or customer), still in a fixed order: two writers of the same deal or customer still wait for each other, two
-- writers of different ones sometimes do too (harmless), and a transaction holds at most 768 of these locks whatever
-- its size (docs/decisions.md 43).
CREATE OR REPLACE FUNCTION report_refresh_stage_stays(ws uuid[], ids uuid[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(43001, b.bucket)
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
$$;

--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_refresh_idle_deals(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(43002, b.bucket)
  FROM (SELECT DISTINCT hashtext(t.deal_id::text) & 255 AS bucket FROM unnest(ids) AS t(deal_id) WHERE t.deal_id IS NOT NULL) b ORDER BY b.bucket;
  DELETE FROM report_idle_deals WHERE deal_id = ANY(ids);
  INSERT INTO report_idle_deals (deal_id, workspace_id, pipeline_id, owner_id)
  SELECT d.id, d.workspace_id, d.pipeline_id, d.owner_id FROM deals d
  WHERE d.id = ANY(ids) AND d.status = 'open' AND d.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.workspace_id = d.workspace_id AND a.deal_id = d.id AND a.done_at IS NULL);
$$;

--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_refresh_won_deals(ws uuid[], contacts uuid[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(43003, b.bucket)
  FROM (SELECT DISTINCT hashtext(t.workspace_id::text || ':' || t.contact_id::text) & 255 AS bucket
        FROM unnest(ws, contacts) AS t(workspace_id, contact_id) WHERE t.contact_id IS NOT NULL) b ORDER BY b.bucket;
  DELETE FROM report_won_deals r USING (SELECT DISTINCT t.workspace_id, t.contact_id FROM unnest(ws, contacts) AS t(workspace_id, contact_id)) c
  WHERE r.workspace_id = c.workspace_id AND r.contact_id = c.contact_id;
  INSERT INTO report_won_deals (deal_id, workspace_id, contact_id, currency, closed_at, value, rank, first_closed_at, next_closed_at)
  SELECT d.id, d.workspace_id, d.contact_id, d.currency, d.closed_at, d.value,
         row_number() OVER w, first_value(d.closed_at) OVER w, lead(d.closed_at) OVER w
  FROM (SELECT DISTINCT t.workspace_id, t.contact_id FROM unnest(ws, contacts) AS t(workspace_id, contact_id)) c
  JOIN deals d ON d.workspace_id = c.workspace_id AND d.contact_id = c.contact_id
  WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL
  WINDOW w AS (PARTITION BY d.workspace_id, d.contact_id, d.currency ORDER BY d.closed_at, d.id);
$$;
