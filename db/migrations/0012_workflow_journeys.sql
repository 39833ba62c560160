ALTER TABLE "scoring_rules" ADD COLUMN "activity_type" text;--> statement-breakpoint
ALTER TABLE "workflow_runs" ADD COLUMN "wait_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workflow_runs" ADD COLUMN "wait_event" text;--> statement-breakpoint
CREATE INDEX "workflow_runs_waiting_idx" ON "workflow_runs" USING btree ("workspace_id","wait_until") WHERE "workflow_runs"."status" = 'running' and "workflow_runs"."wait_until" is not null;--> statement-breakpoint
CREATE INDEX "workflow_runs_wait_event_idx" ON "workflow_runs" USING btree ("workspace_id","subject_id","wait_event") WHERE "workflow_runs"."status" = 'running' and "workflow_runs"."wait_event" is not null;