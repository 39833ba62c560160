CREATE TABLE "report_open_stage_days" (
	"workspace_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"entered_on" date NOT NULL,
	"currency" char(3) NOT NULL,
	"deals" integer NOT NULL,
	"value" bigint NOT NULL,
	"entered_epoch" numeric NOT NULL,
	CONSTRAINT "report_open_stage_days_workspace_id_pipeline_id_stage_id_entered_on_currency_pk" PRIMARY KEY("workspace_id","pipeline_id","stage_id","entered_on","currency")
);
--> statement-breakpoint
ALTER TABLE "report_open_stage_days" ADD CONSTRAINT "report_open_stage_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Open, not deleted deals per pipeline, stage, UTC day of stage entry and currency (docs/decisions.md 43), kept by
-- triggers on deals: statement-level for inserts and deletes (bulk loads in one statement), row-level with a WHEN
-- clause for updates (a drag within a column or a title edit does nothing here).
CREATE FUNCTION report_open_stage_days_after_deals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_open_stage_days (workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch)
  SELECT n.workspace_id, n.pipeline_id, n.stage_id, (n.stage_entered_at AT TIME ZONE 'UTC')::date, n.currency, count(*), sum(n.value), sum(extract(epoch from n.stage_entered_at))
  FROM new_deals n WHERE n.status = 'open' AND n.deleted_at IS NULL
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (workspace_id, pipeline_id, stage_id, entered_on, currency) DO UPDATE SET
    deals = report_open_stage_days.deals + excluded.deals, value = report_open_stage_days.value + excluded.value,
    entered_epoch = report_open_stage_days.entered_epoch + excluded.entered_epoch;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_open_stage_days_after_deals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE report_open_stage_days r SET deals = r.deals - o.deals, value = r.value - o.value, entered_epoch = r.entered_epoch - o.entered_epoch
  FROM (SELECT d.workspace_id, d.pipeline_id, d.stage_id, (d.stage_entered_at AT TIME ZONE 'UTC')::date AS entered_on, d.currency,
               count(*) AS deals, sum(d.value) AS value, sum(extract(epoch from d.stage_entered_at)) AS entered_epoch
        FROM old_deals d WHERE d.status = 'open' AND d.deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5) o
  WHERE r.workspace_id = o.workspace_id AND r.pipeline_id = o.pipeline_id AND r.stage_id = o.stage_id AND r.entered_on = o.entered_on AND r.currency = o.currency;
  DELETE FROM report_open_stage_days r USING old_deals d
  WHERE r.deals = 0 AND r.workspace_id = d.workspace_id AND r.pipeline_id = d.pipeline_id AND r.stage_id = d.stage_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_open_stage_days_after_deal_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  left_deals integer;
BEGIN
  IF OLD.status = 'open' AND OLD.deleted_at IS NULL THEN
    UPDATE report_open_stage_days r SET deals = r.deals - 1, value = r.value - OLD.value, entered_epoch = r.entered_epoch - extract(epoch from OLD.stage_entered_at)
    WHERE r.workspace_id = OLD.workspace_id AND r.pipeline_id = OLD.pipeline_id AND r.stage_id = OLD.stage_id
      AND r.entered_on = (OLD.stage_entered_at AT TIME ZONE 'UTC')::date AND r.currency = OLD.currency
    RETURNING r.deals INTO left_deals;
    IF left_deals = 0 THEN
      DELETE FROM report_open_stage_days r
      WHERE r.workspace_id = OLD.workspace_id AND r.pipeline_id = OLD.pipeline_id AND r.stage_id = OLD.stage_id
        AND r.entered_on = (OLD.stage_entered_at AT TIME ZONE 'UTC')::date AND r.currency = OLD.currency AND r.deals = 0;
    END IF;
  END IF;
  IF NEW.status = 'open' AND NEW.deleted_at IS NULL THEN
    INSERT INTO report_open_stage_days (workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch)
    VALUES (NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, (NEW.stage_entered_at AT TIME ZONE 'UTC')::date, NEW.currency, 1, NEW.value, extract(epoch from NEW.stage_entered_at))
    ON CONFLICT (workspace_id, pipeline_id, stage_id, entered_on, currency) DO UPDATE SET
      deals = report_open_stage_days.deals + 1, value = report_open_stage_days.value + excluded.value,
      entered_epoch = report_open_stage_days.entered_epoch + excluded.entered_epoch;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_open_stage_days_deals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_deals
  FOR EACH STATEMENT EXECUTE FUNCTION report_open_stage_days_after_deals_insert();
--> statement-breakpoint
CREATE TRIGGER report_open_stage_days_deals_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS old_deals
  FOR EACH STATEMENT EXECUTE FUNCTION report_open_stage_days_after_deals_delete();
--> statement-breakpoint
CREATE TRIGGER report_open_stage_days_deal_update AFTER UPDATE OF status, deleted_at, pipeline_id, stage_id, stage_entered_at, currency, value ON deals FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id
    OR OLD.stage_id IS DISTINCT FROM NEW.stage_id OR OLD.stage_entered_at IS DISTINCT FROM NEW.stage_entered_at
    OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.value IS DISTINCT FROM NEW.value)
  EXECUTE FUNCTION report_open_stage_days_after_deal_update();
--> statement-breakpoint
INSERT INTO report_open_stage_days (workspace_id, pipeline_id, stage_id, entered_on, currency, deals, value, entered_epoch)
SELECT d.workspace_id, d.pipeline_id, d.stage_id, (d.stage_entered_at AT TIME ZONE 'UTC')::date, d.currency, count(*), sum(d.value), sum(extract(epoch from d.stage_entered_at))
FROM deals d WHERE d.status = 'open' AND d.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
ANALYZE report_open_stage_days;
