CREATE TABLE "post_authors" (
	"post_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "post_authors_post_id_user_id_pk" PRIMARY KEY("post_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "featured" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "post_authors" ADD CONSTRAINT "post_authors_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_authors" ADD CONSTRAINT "post_authors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "post_authors_position_key" ON "post_authors" USING btree ("post_id","position");--> statement-breakpoint
CREATE INDEX "post_authors_user_idx" ON "post_authors" USING btree ("user_id","post_id");--> statement-breakpoint
CREATE UNIQUE INDEX "series_slug_key" ON "series" USING btree ("slug");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_series_id_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."series"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "posts_featured_idx" ON "posts" USING btree ("publish_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE featured and status in ('published', 'scheduled');--> statement-breakpoint
CREATE INDEX "posts_series_idx" ON "posts" USING btree ("series_id","publish_at","id") WHERE series_id is not null;--> statement-breakpoint
-- Written by hand (drizzle-kit does not manage functions or triggers): position 0 of post_authors is
-- always posts.author_id, whoever writes posts (the editor, imports, the CLI, tests). Once per
-- statement with its transition tables, so an import of thousands of posts is one insert.
CREATE FUNCTION "post_authors_primary"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO post_authors (post_id, user_id, position)
        SELECT id, author_id, 0 FROM new_rows ORDER BY id
        ON CONFLICT DO NOTHING;
    ELSE
      -- Only rows whose primary author changed: the old primary leaves the byline (the new one may
      -- have been a co-author: they move to the front).
      DELETE FROM post_authors pa USING new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.author_id IS DISTINCT FROM n.author_id AND pa.post_id = n.id AND (pa.position = 0 OR pa.user_id = n.author_id);
      INSERT INTO post_authors (post_id, user_id, position)
        SELECT n.id, n.author_id, 0 FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.author_id IS DISTINCT FROM n.author_id ORDER BY n.id
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER "post_authors_insert" AFTER INSERT ON "posts" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION post_authors_primary();--> statement-breakpoint
CREATE TRIGGER "post_authors_update" AFTER UPDATE ON "posts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION post_authors_primary();--> statement-breakpoint
INSERT INTO "post_authors" (post_id, user_id, position) SELECT id, author_id, 0 FROM "posts";
