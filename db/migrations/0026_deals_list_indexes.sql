-- The deals list (issue #11, decision 51): its default order (last updated first) read in index order, so a page
-- stops after 50 rows instead of sorting every deal the filter matches; and the "recently deleted" list without a
-- scan of the live deals.
CREATE INDEX "deals_ws_updated_idx" ON "deals" USING btree ("workspace_id","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "deals"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "deals_ws_deleted_idx" ON "deals" USING btree ("workspace_id","deleted_at") WHERE "deals"."deleted_at" is not null;