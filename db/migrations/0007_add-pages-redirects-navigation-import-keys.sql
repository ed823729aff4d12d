CREATE TYPE "public"."navigation_menu" AS ENUM('primary', 'footer');--> statement-breakpoint
CREATE TYPE "public"."post_kind" AS ENUM('post', 'page');--> statement-breakpoint
CREATE TABLE "import_keys" (
	"source" text NOT NULL,
	"entity" text NOT NULL,
	"source_id" text NOT NULL,
	"target_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_keys_source_entity_source_id_pk" PRIMARY KEY("source","entity","source_id")
);
--> statement-breakpoint
CREATE TABLE "navigation_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"menu" "navigation_menu" NOT NULL,
	"position" integer NOT NULL,
	"label" text NOT NULL,
	"url" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redirects" (
	"from_path" text PRIMARY KEY NOT NULL,
	"to_path" text NOT NULL,
	"status_code" integer DEFAULT 301 NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "redirects_status_code_check" CHECK ("redirects"."status_code" in (301, 302))
);
--> statement-breakpoint
ALTER TABLE "post_counts" ADD COLUMN "kind" "post_kind" DEFAULT 'post' NOT NULL;--> statement-breakpoint
ALTER TABLE "post_counts" DROP CONSTRAINT "post_counts_author_id_status_pk";--> statement-breakpoint
ALTER TABLE "post_counts" ADD CONSTRAINT "post_counts_author_id_kind_status_pk" PRIMARY KEY("author_id","kind","status");--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "kind" "post_kind" DEFAULT 'post' NOT NULL;--> statement-breakpoint
CREATE INDEX "navigation_items_menu_idx" ON "navigation_items" USING btree ("menu","position");--> statement-breakpoint
-- Written by hand: the tallies of migration 0006, now per kind as well (the editor's Posts and Pages
-- tabs each count their own). Same shape: one upsert per (author, kind, status) per statement, in
-- that order, so opposite moves cannot deadlock.
CREATE OR REPLACE FUNCTION "post_counts_apply"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      DELETE FROM post_counts;
    ELSIF TG_OP = 'INSERT' THEN
      INSERT INTO post_counts AS c (author_id, kind, status, n)
        SELECT author_id, kind, status, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (author_id, kind, status) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO post_counts AS c (author_id, kind, status, n)
        SELECT author_id, kind, status, -count(*) FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (author_id, kind, status) DO UPDATE SET n = c.n + excluded.n;
    ELSE
      INSERT INTO post_counts AS c (author_id, kind, status, n)
        SELECT author_id, kind, status, sum(d) FROM (
          SELECT author_id, kind, status, 1 AS d FROM new_rows
          UNION ALL
          SELECT author_id, kind, status, -1 AS d FROM old_rows
        ) AS moved
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (author_id, kind, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
  END
  $$;
