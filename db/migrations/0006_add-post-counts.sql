CREATE TABLE "post_counts" (
	"author_id" uuid NOT NULL,
	"status" "post_status" NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "post_counts_author_id_status_pk" PRIMARY KEY("author_id","status")
);
--> statement-breakpoint
ALTER TABLE "post_counts" ADD CONSTRAINT "post_counts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Written by hand (drizzle-kit does not manage functions or triggers). One function for every kind
-- of change to posts, once per statement with its transition tables, so an import of thousands of
-- posts is one upsert per (author, status), not one per post. Deltas are applied in (author,
-- status) order: two transactions that move posts in opposite directions lock the same counters in
-- the same order, and cannot deadlock on them.
CREATE FUNCTION "post_counts_apply"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      DELETE FROM post_counts;
    ELSIF TG_OP = 'INSERT' THEN
      INSERT INTO post_counts AS c (author_id, status, n)
        SELECT author_id, status, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (author_id, status) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO post_counts AS c (author_id, status, n)
        SELECT author_id, status, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (author_id, status) DO UPDATE SET n = c.n + excluded.n;
    ELSE
      INSERT INTO post_counts AS c (author_id, status, n)
        SELECT author_id, status, sum(d) FROM (
          SELECT author_id, status, 1 AS d FROM new_rows
          UNION ALL
          SELECT author_id, status, -1 AS d FROM old_rows
        ) AS moved
        GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
        ON CONFLICT (author_id, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER "post_counts_insert" AFTER INSERT ON "posts" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION post_counts_apply();--> statement-breakpoint
CREATE TRIGGER "post_counts_update" AFTER UPDATE ON "posts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION post_counts_apply();--> statement-breakpoint
CREATE TRIGGER "post_counts_delete" AFTER DELETE ON "posts" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION post_counts_apply();--> statement-breakpoint
CREATE TRIGGER "post_counts_truncate" AFTER TRUNCATE ON "posts"
  FOR EACH STATEMENT EXECUTE FUNCTION post_counts_apply();--> statement-breakpoint
-- The posts already there. Migrations run in one transaction, and CREATE TRIGGER locked posts
-- against writes until it commits: no post is counted twice or missed.
INSERT INTO "post_counts" (author_id, status, n) SELECT author_id, status, count(*) FROM "posts" GROUP BY 1, 2;
