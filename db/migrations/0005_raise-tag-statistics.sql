-- Tag pages look a tag up by id, then list its public posts (lib/posts/queries.ts); PostgreSQL
-- picks the plan from how many posts it believes the tag has: walk the newest posts until a page is
-- full (a popular tag) or read the tag's own posts and sort them (a small one). With the default
-- 100 most-common values only, every other tag is guessed at the average, and a tag on 3 posts
-- was planned as a walk that read every public post. 1,000 keeps every tag of most sites exact;
-- tags beyond that are by then the rare ones, and are guessed small. Hand-written: drizzle-kit
-- does not manage statistics targets.
ALTER TABLE "post_tags" ALTER COLUMN "tag_id" SET STATISTICS 1000;--> statement-breakpoint
ANALYZE "post_tags";
