CREATE TABLE "report_won_deals" (
	"deal_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"value" bigint NOT NULL,
	"rank" integer NOT NULL,
	"first_closed_at" timestamp with time zone NOT NULL,
	"next_closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "report_won_deals" ADD CONSTRAINT "report_won_deals_deal_id_deals_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."deals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_won_deals" ADD CONSTRAINT "report_won_deals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_won_deals_ws_currency_closed_idx" ON "report_won_deals" USING btree ("workspace_id","currency","closed_at","rank","value","first_closed_at","next_closed_at");--> statement-breakpoint
CREATE INDEX "report_won_deals_ws_contact_idx" ON "report_won_deals" USING btree ("workspace_id","contact_id");--> statement-breakpoint
-- Won deals ranked per customer for the CLV (docs/decisions.md 43), kept by triggers on deals: a change to a won deal
-- re-ranks its customer's wins (old and new contact), statement-level for inserts and deletes.
CREATE FUNCTION report_refresh_won_deals(ws uuid[], contacts uuid[]) RETURNS void LANGUAGE sql AS $$
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
CREATE FUNCTION report_won_deals_after_deals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_won_deals(array_agg(x.workspace_id), array_agg(x.contact_id))
  FROM (SELECT DISTINCT n.workspace_id, n.contact_id FROM new_deals n WHERE n.status = 'won' AND n.contact_id IS NOT NULL) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_won_deals_after_deals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_won_deals(array_agg(x.workspace_id), array_agg(x.contact_id))
  FROM (SELECT DISTINCT o.workspace_id, o.contact_id FROM old_deals o WHERE o.status = 'won' AND o.contact_id IS NOT NULL) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION report_won_deals_after_deal_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_won_deals(ARRAY[OLD.workspace_id, NEW.workspace_id], ARRAY[OLD.contact_id, NEW.contact_id]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER report_won_deals_deals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_deals
  FOR EACH STATEMENT EXECUTE FUNCTION report_won_deals_after_deals_insert();
--> statement-breakpoint
CREATE TRIGGER report_won_deals_deals_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS old_deals
  FOR EACH STATEMENT EXECUTE FUNCTION report_won_deals_after_deals_delete();
--> statement-breakpoint
CREATE TRIGGER report_won_deals_deal_update AFTER UPDATE OF status, closed_at, contact_id, currency, deleted_at, value ON deals FOR EACH ROW
  WHEN ((OLD.status = 'won' OR NEW.status = 'won') AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
    OR OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.currency IS DISTINCT FROM NEW.currency
    OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.value IS DISTINCT FROM NEW.value))
  EXECUTE FUNCTION report_won_deals_after_deal_update();
--> statement-breakpoint
INSERT INTO report_won_deals (deal_id, workspace_id, contact_id, currency, closed_at, value, rank, first_closed_at, next_closed_at)
SELECT d.id, d.workspace_id, d.contact_id, d.currency, d.closed_at, d.value,
       row_number() OVER w, first_value(d.closed_at) OVER w, lead(d.closed_at) OVER w
FROM deals d
WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.contact_id IS NOT NULL
WINDOW w AS (PARTITION BY d.workspace_id, d.contact_id, d.currency ORDER BY d.closed_at, d.id);
--> statement-breakpoint
ANALYZE report_won_deals;
