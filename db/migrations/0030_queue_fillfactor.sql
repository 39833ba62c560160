-- The job queue and the outbox are update-heavy: every job is claimed (lease, attempts) and finished, every message
-- claimed and marked sent. With full pages an update cannot stay on its row's page, so each one writes a new
-- entry in every index (5 on jobs, 7 on messages). Leaving 30 % free lets the claim updates (no indexed column
-- changes) be HOT updates that touch no index. Applies to pages written from now on (decision 58).
ALTER TABLE "jobs" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "messages" SET (fillfactor = 70);
