-- Trigram indexes for the media library's search (`ilike '%…%'` on file name or alt text). pg_trgm
-- ships with PostgreSQL (contrib) and is a trusted extension: the database's owner may create it.
-- Written by hand: drizzle-kit does not manage extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "media_filename_search_idx" ON "media" USING gin ("filename" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "media_alt_search_idx" ON "media" USING gin ("alt" gin_trgm_ops);
