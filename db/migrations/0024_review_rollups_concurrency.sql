-- Concurrent writers on PostgreSQL (docs/decisions.md 43). A refresh deletes and re-inserts the rollup rows of a deal
-- or a customer; two transactions refreshing the same one at once could each work from a snapshot without the
-- other's uncommitted change (a wrong idle flag, a duplicate won-deal row). Each refresh now takes a transaction-level
-- advisory lock per deal or customer first (in a fixed order), so the second waits for the first to commit and then
-- reads it. The per-day open-deal counters are updated in key order (old and new bucket of a move, and the buckets
-- of a bulk insert or delete), so two moves in opposite directions on the same day cannot deadlock. PGlite has one
-- connection: the locks are free there.
CREATE OR REPLACE FUNCTION report_refresh_stage_stays(ws uuid[], ids uuid[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('report_stage_stays:' || d.deal_id::text, 0))
  FROM (SELECT DISTINCT t.deal_id FROM unnest(ids) AS t(deal_id) WHERE t.deal_id IS NOT NULL) d ORDER BY d.deal_id;
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
  SELECT pg_advisory_xact_lock(hashtextextended('report_idle_deals:' || d.deal_id::text, 0))
  FROM (SELECT DISTINCT t.deal_id FROM unnest(ids) AS t(deal_id) WHERE t.deal_id IS NOT NULL) d ORDER BY d.deal_id;
  DELETE FROM report_idle_deals WHERE deal_id = ANY(ids);
  INSERT INTO report_idle_deals (deal_id, workspace_id, pipeline_id, owner_id)
  SELECT d.id, d.workspace_id, d.pipeline_id, d.owner_id FROM deals d
  WHERE d.id = ANY(ids) AND d.status = 'open' AND d.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.workspace_id = d.workspace_id AND a.deal_id = d.id AND a.done_at IS NULL);
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_refresh_won_deals(ws uuid[], contacts uuid[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('report_won_deals:' || c.workspace_id::text || ':' || c.contact_id::text, 0))
  FROM (SELECT DISTINCT t.workspace_id, t.contact_id FROM unnest(ws, contacts) AS t(workspace_id, contact_id) WHERE t.contact_id IS NOT NULL) c
  ORDER BY c.workspace_id, c.contact_id;
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
--> statement-breakpoint
-- Adds (or with negative deltas removes) deals to one per-day bucket; a bucket that reaches zero deals goes.
CREATE FUNCTION report_open_stage_days_add(ws uuid, pipeline uuid, stage uuid, day date, cur char(3), n integer, v bigint, ep numeric)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_open_stage_days AS r (workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch)
  VALUES (ws, pipeline, stage, day, cur, n, v, ep)
  ON CONFLICT (workspace_id, pipeline_id, stage_id, entered_on, currency) DO UPDATE SET
    deals = r.deals + excluded.deals, value = r.value + excluded.value, entered_epoch = r.entered_epoch + excluded.entered_epoch;
  DELETE FROM report_open_stage_days r
  WHERE r.workspace_id = ws AND r.pipeline_id = pipeline AND r.stage_id = stage AND r.entered_on = day AND r.currency = cur AND r.deals = 0;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_open_stage_days_after_deal_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := OLD.status = 'open' AND OLD.deleted_at IS NULL;
  is_open boolean := NEW.status = 'open' AND NEW.deleted_at IS NULL;
  old_day date := (OLD.stage_entered_at AT TIME ZONE 'UTC')::date;
  new_day date := (NEW.stage_entered_at AT TIME ZONE 'UTC')::date;
  new_first boolean;
BEGIN
  new_first := (NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, new_day, NEW.currency) < (OLD.workspace_id, OLD.pipeline_id, OLD.stage_id, old_day, OLD.currency);
  IF is_open AND new_first THEN
    PERFORM report_open_stage_days_add(NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, new_day, NEW.currency, 1, NEW.value, extract(epoch from NEW.stage_entered_at));
  END IF;
  IF was_open THEN
    PERFORM report_open_stage_days_add(OLD.workspace_id, OLD.pipeline_id, OLD.stage_id, old_day, OLD.currency, -1, -OLD.value, -extract(epoch from OLD.stage_entered_at));
  END IF;
  IF is_open AND NOT new_first THEN
    PERFORM report_open_stage_days_add(NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, new_day, NEW.currency, 1, NEW.value, extract(epoch from NEW.stage_entered_at));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_open_stage_days_after_deals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_open_stage_days AS r (workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch)
  SELECT n.workspace_id, n.pipeline_id, n.stage_id, (n.stage_entered_at AT TIME ZONE 'UTC')::date, n.currency, count(*), sum(n.value), sum(extract(epoch from n.stage_entered_at))
  FROM new_deals n WHERE n.status = 'open' AND n.deleted_at IS NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (workspace_id, pipeline_id, stage_id, entered_on, currency) DO UPDATE SET
    deals = r.deals + excluded.deals, value = r.value + excluded.value, entered_epoch = r.entered_epoch + excluded.entered_epoch;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_open_stage_days_after_deals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_open_stage_days_add(o.workspace_id, o.pipeline_id, o.stage_id, o.entered_on, o.currency, -o.deals::integer, -o.value, -o.entered_epoch)
  FROM (SELECT d.workspace_id, d.pipeline_id, d.stage_id, (d.stage_entered_at AT TIME ZONE 'UTC')::date AS entered_on, d.currency,
               count(*) AS deals, sum(d.value)::bigint AS value, sum(extract(epoch from d.stage_entered_at)) AS entered_epoch
        FROM old_deals d WHERE d.status = 'open' AND d.deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5) o;
  RETURN NULL;
END $$;
