CREATE TABLE "page_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT clock_timestamp() NOT NULL,
	"change" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "page_changes_at_idx" ON "page_changes" USING btree ("at");--> statement-breakpoint
-- Nothing a server kept on disk before this history began can be judged by it: everything older is stale.
INSERT INTO "page_changes" ("change") VALUES ('{"all":true}'::jsonb);
