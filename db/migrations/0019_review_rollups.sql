CREATE TABLE "report_idle_deals" (
	"deal_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid
);
--> statement-breakpoint
CREATE TABLE "report_stage_stays" (
	"event_id" bigint PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"began_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_idle_deals" ADD CONSTRAINT "report_idle_deals_deal_id_deals_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."deals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_idle_deals" ADD CONSTRAINT "report_idle_deals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_stage_stays" ADD CONSTRAINT "report_stage_stays_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_stage_stays" ADD CONSTRAINT "report_stage_stays_deal_id_deals_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."deals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_idle_deals_ws_pipeline_owner_idx" ON "report_idle_deals" USING btree ("workspace_id","pipeline_id","owner_id");--> statement-breakpoint
CREATE INDEX "report_stage_stays_ws_ended_idx" ON "report_stage_stays" USING btree ("workspace_id","ended_at","stage_id","began_at","deal_id");--> statement-breakpoint
CREATE INDEX "report_stage_stays_deal_idx" ON "report_stage_stays" USING btree ("deal_id");