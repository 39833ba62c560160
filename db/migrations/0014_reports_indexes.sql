-- Reports (lib/reports) aggregate over these; see docs/metrics.md.
CREATE INDEX IF NOT EXISTS "deals_ws_created_idx" ON "deals" USING btree ("workspace_id","created_at") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_ws_open_close_date_idx" ON "deals" USING btree ("workspace_id","expected_close_date") WHERE "status" = 'open' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_ws_open_stage_entered_idx" ON "deals" USING btree ("workspace_id","stage_id","stage_entered_at") WHERE "status" = 'open' AND "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deal_events_ws_to_stage_time_idx" ON "deal_events" USING btree ("workspace_id","to_stage_id","occurred_at") WHERE "to_stage_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_ws_done_idx" ON "activities" USING btree ("workspace_id","done_at") WHERE "done_at" IS NOT NULL;
