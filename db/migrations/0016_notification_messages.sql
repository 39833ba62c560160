ALTER TYPE "public"."notification_kind" ADD VALUE 'message';--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "message" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "link" text;