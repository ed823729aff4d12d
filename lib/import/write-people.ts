import 'server-only';
import { eq } from 'drizzle-orm';
import { tags, users } from '@/db/schema';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { slugify } from '@/lib/slug';
import { uniqueUserSlug } from '@/lib/users/mutations';
import { isHttpUrl, remember, type ImportContext } from './context';
import type { Placed } from './old-urls';
import { htmlToText } from './text';

export const MAX_TAG_NAME = 60;

const tagSlugs = new Map<string, string>();

/** slugify(name, 'tag'), remembered: an import asks it for the same few names several times per post. */
export function tagSlug(name: string): string {
  let slug = tagSlugs.get(name);
  if (slug === undefined) {
    if (tagSlugs.size >= 10_000) tagSlugs.clear();
    slug = slugify(name, 'tag');
    tagSlugs.set(name, slug);
  }
  return slug;
}

/** Authors and tags first: posts point at them. Returns their slugs here, by source id. */
export async function placeUsersAndTags(ctx: ImportContext): Promise<Placed> {
  const placed: Placed = { entries: new Map(), tags: new Map(), users: new Map() };
  const tally = ctx.report.totals.users;
  for (const user of ctx.bundle.users) {
    const keyed = ctx.keys.get(`user:${user.sourceId}`);
    let [row] = keyed ? await ctx.tx.select({ id: users.id, slug: users.slug }).from(users).where(eq(users.id, keyed)) : [];
    if (row) {
      tally.unchanged += 1;
    } else {
      // Matched to an account by email: their posts become that person's.
      [row] = user.email ? await ctx.tx.select({ id: users.id, slug: users.slug }).from(users).where(eq(users.email, user.email)) : [];
      if (row) {
        tally.unchanged += 1;
      } else {
        // Cannot sign in: no email and no password until someone invites them.
        const name = (user.name.trim() || user.slug || 'Imported author').slice(0, 200);
        const slug = await uniqueUserSlug(ctx.tx, slugify(user.slug || name, 'author'));
        [row] = await ctx.tx
          .insert(users)
          .values({ name, slug, role: 'author', bio: user.bio.slice(0, MAX_TEXT), avatarUrl: isHttpUrl(user.avatarUrl) ? user.avatarUrl : null })
          .returning({ id: users.id, slug: users.slug });
        tally.created += 1;
      }
      await remember(ctx, 'user', user.sourceId, row.id);
    }
    placed.users.set(user.sourceId, row.slug);
  }
  const tagTally = ctx.report.totals.tags;
  for (const tag of ctx.bundle.tags) {
    if (tag.internal) continue;
    const name = tag.name.trim().slice(0, MAX_TAG_NAME) || tag.slug;
    const keyed = ctx.keys.get(`tag:${tag.sourceId}`);
    let [row] = keyed ? await ctx.tx.select({ id: tags.id, slug: tags.slug }).from(tags).where(eq(tags.id, keyed)) : [];
    if (!row) {
      const slug = slugify(name, 'tag');
      [row] = await ctx.tx.select({ id: tags.id, slug: tags.slug }).from(tags).where(eq(tags.slug, slug));
      if (row) {
        tagTally.unchanged += 1;
      } else {
        [row] = await ctx.tx
          .insert(tags)
          .values({ name, slug, description: htmlToText(tag.description).slice(0, MAX_TEXT) })
          .returning({ id: tags.id, slug: tags.slug });
        tagTally.created += 1;
      }
      await remember(ctx, 'tag', tag.sourceId, row.id);
    } else {
      tagTally.unchanged += 1;
    }
    placed.tags.set(tag.sourceId, row.slug);
  }
  return placed;
}

/** The byline of posts whose author the export does not name. */
export async function fallbackAuthor(ctx: ImportContext): Promise<string> {
  const keyed = ctx.keys.get('user:(none)');
  if (keyed) return keyed;
  const slug = await uniqueUserSlug(ctx.tx, 'imported-author');
  const [row] = await ctx.tx.insert(users).values({ name: 'Imported author', slug, role: 'author' }).returning({ id: users.id });
  ctx.report.totals.users.created += 1;
  await remember(ctx, 'user', '(none)', row.id);
  return row.id;
}
