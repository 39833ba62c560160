-- The review's rollups (docs/decisions.md 43): report_stage_stays and report_idle_deals are maintained by triggers in
-- the transaction of every write to deal_events, deals and activities, whoever the writer is; backfilled below.
-- Statement-level triggers (with transition tables) for inserts and deletes, so a bulk import or seed refreshes its
-- deals in one set-based statement; row-level triggers with a WHEN clause for updates, so an update that changes
-- nothing the rollups depend on (a drag within a column, a title edit) costs nothing.

-- Completed stays of these deals, recomputed from their history (docs/metrics.md, time in stage).
CREATE FUNCTION report_refresh_stage_stays(ws uuid[], ids uuid[]) RETURNS void LANGUAGE sql AS $$
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
CREATE FUNCTION report_stage_stays_after_events_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_stage_stays(array_agg(x.workspace_id), array_agg(x.deal_id))
  FROM (SELECT DISTINCT n.workspace_id, n.deal_id FROM new_events n WHERE n.type IN ('created', 'stage_changed', 'reopened', 'won', 'lost')) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_stage_stays_after_events_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_stage_stays(array_agg(x.workspace_id), array_agg(x.deal_id))
  FROM (SELECT o.workspace_id, o.deal_id FROM old_events o UNION SELECT n.workspace_id, n.deal_id FROM new_events n) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_stage_stays_after_events_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_stage_stays(array_agg(x.workspace_id), array_agg(x.deal_id))
  FROM (SELECT DISTINCT o.workspace_id, o.deal_id FROM old_events o WHERE o.type IN ('created', 'stage_changed', 'reopened', 'won', 'lost')) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_stage_stays_events_insert AFTER INSERT ON deal_events REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION report_stage_stays_after_events_insert();
--> statement-breakpoint
CREATE TRIGGER report_stage_stays_events_update AFTER UPDATE ON deal_events REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION report_stage_stays_after_events_update();
--> statement-breakpoint
CREATE TRIGGER report_stage_stays_events_delete AFTER DELETE ON deal_events REFERENCING OLD TABLE AS old_events
  FOR EACH STATEMENT EXECUTE FUNCTION report_stage_stays_after_events_delete();
--> statement-breakpoint

-- Open deals with no open activity ("no next activity"), recomputed for these deals.
CREATE FUNCTION report_refresh_idle_deals(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM report_idle_deals WHERE deal_id = ANY(ids);
  INSERT INTO report_idle_deals (deal_id, workspace_id, pipeline_id, owner_id)
  SELECT d.id, d.workspace_id, d.pipeline_id, d.owner_id FROM deals d
  WHERE d.id = ANY(ids) AND d.status = 'open' AND d.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.workspace_id = d.workspace_id AND a.deal_id = d.id AND a.done_at IS NULL);
$$;
--> statement-breakpoint
CREATE FUNCTION report_idle_deals_after_deals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_idle_deals(array_agg(n.id)) FROM new_deals n WHERE n.status = 'open' AND n.deleted_at IS NULL HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_idle_deals_after_deal_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_idle_deals(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_idle_deals_after_activities_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_idle_deals(array_agg(DISTINCT n.deal_id)) FROM new_activities n WHERE n.deal_id IS NOT NULL AND n.done_at IS NULL HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_idle_deals_after_activity_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_idle_deals(ARRAY[OLD.deal_id, NEW.deal_id]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_idle_deals_after_activities_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_idle_deals(array_agg(DISTINCT o.deal_id)) FROM old_activities o WHERE o.deal_id IS NOT NULL AND o.done_at IS NULL HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_idle_deals_deals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_deals
  FOR EACH STATEMENT EXECUTE FUNCTION report_idle_deals_after_deals_insert();
--> statement-breakpoint
CREATE TRIGGER report_idle_deals_deal_update AFTER UPDATE OF status, deleted_at, pipeline_id, owner_id ON deals FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
    OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
  EXECUTE FUNCTION report_idle_deals_after_deal_update();
--> statement-breakpoint
CREATE TRIGGER report_idle_deals_activities_insert AFTER INSERT ON activities REFERENCING NEW TABLE AS new_activities
  FOR EACH STATEMENT EXECUTE FUNCTION report_idle_deals_after_activities_insert();
--> statement-breakpoint
CREATE TRIGGER report_idle_deals_activity_update AFTER UPDATE OF done_at, deal_id ON activities FOR EACH ROW
  WHEN (OLD.done_at IS DISTINCT FROM NEW.done_at OR OLD.deal_id IS DISTINCT FROM NEW.deal_id)
  EXECUTE FUNCTION report_idle_deals_after_activity_update();
--> statement-breakpoint
CREATE TRIGGER report_idle_deals_activities_delete AFTER DELETE ON activities REFERENCING OLD TABLE AS old_activities
  FOR EACH STATEMENT EXECUTE FUNCTION report_idle_deals_after_activities_delete();
--> statement-breakpoint

-- Backfill from the history and the activities as they are.
INSERT INTO report_stage_stays (event_id, workspace_id, deal_id, stage_id, began_at, ended_at)
SELECT e.id, e.workspace_id, e.deal_id, CASE WHEN e.type = 'stage_changed' THEN e.from_stage_id ELSE e.to_stage_id END, b.began_at, e.occurred_at
FROM deal_events e
CROSS JOIN LATERAL (
  SELECT p.occurred_at AS began_at FROM deal_events p
  WHERE p.workspace_id = e.workspace_id AND p.deal_id = e.deal_id AND p.type IN ('created', 'stage_changed', 'reopened')
    AND (p.occurred_at, p.id) < (e.occurred_at, e.id)
  ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1) b
WHERE e.type IN ('stage_changed', 'won', 'lost')
  AND CASE WHEN e.type = 'stage_changed' THEN e.from_stage_id ELSE e.to_stage_id END IS NOT NULL;
--> statement-breakpoint
INSERT INTO report_idle_deals (deal_id, workspace_id, pipeline_id, owner_id)
SELECT d.id, d.workspace_id, d.pipeline_id, d.owner_id FROM deals d
WHERE d.status = 'open' AND d.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.workspace_id = d.workspace_id AND a.deal_id = d.id AND a.done_at IS NULL);
--> statement-breakpoint

-- Indexes of the review's aggregates (lib/reports/review.ts): open deals per stage in stage-entry order (count,
-- value, age, median by offset), won deals by close date (KPIs, CLV) and by contact (lead conversion), open deals by
-- value (the no-next-activity list), open activities per deal (the idle-deal refresh).
CREATE INDEX IF NOT EXISTS "deals_ws_open_stage_age_idx" ON "deals" USING btree ("workspace_id","pipeline_id","stage_id","stage_entered_at") INCLUDE ("value","currency","owner_id") WHERE "status" = 'open' AND "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_ws_won_closed_idx" ON "deals" USING btree ("workspace_id","closed_at") INCLUDE ("contact_id","currency","value","pipeline_id","owner_id") WHERE "status" = 'won' AND "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_ws_won_contact_idx" ON "deals" USING btree ("workspace_id","contact_id") INCLUDE ("pipeline_id","owner_id") WHERE "status" = 'won' AND "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_ws_open_value_idx" ON "deals" USING btree ("workspace_id","value" DESC,"id") WHERE "status" = 'open' AND "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_ws_deal_open_idx" ON "activities" USING btree ("workspace_id","deal_id") WHERE "done_at" IS NULL;
--> statement-breakpoint
ANALYZE report_stage_stays;
--> statement-breakpoint
ANALYZE report_idle_deals;
