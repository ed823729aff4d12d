-- The image ids a post points at: every `/media/<id>/` in its markdown or hero image (the reference
-- lib/media/queries.ts looks for). Immutable, so a GIN index on it answers "which posts use these
-- images" without reading every post's markdown. Texts without '/media/' skip the regular
-- expression (half the cost of an insert's index update). Written by hand: drizzle-kit does not
-- manage functions.
CREATE FUNCTION "media_ids_in"(markdown text, hero_image text) RETURNS uuid[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    select array(
      select m[1]::uuid
        from (select t from unnest(array[markdown, hero_image]) as u(t) where strpos(t, '/media/') > 0) as s,
             regexp_matches(s.t, '/media/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=/)', 'g') as m)
  $$;--> statement-breakpoint
CREATE INDEX "posts_media_ids_idx" ON "posts" USING gin (media_ids_in("markdown", "hero_image"));
