/** Integration-test factories: rows with sensible defaults, inserted directly with drizzle. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, postTags, tags, users, type NewPost, type Post, type PostStatus, type User } from '@/db/schema';
import { renderedColumns } from '@/lib/posts/render';
import { slugify } from '@/lib/slug';

let counter = 0;
const next = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export async function createUser(overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  const name = overrides.name ?? `Author ${next()}`;
  const [row] = await getDb()
    .insert(users)
    .values({ name, slug: slugify(name, 'author'), role: 'author', ...overrides })
    .returning();
  return row;
}

export async function createTag(name: string): Promise<{ id: string; slug: string; name: string }> {
  const slug = slugify(name, 'tag');
  await getDb().insert(tags).values({ name, slug }).onConflictDoNothing({ target: tags.slug });
  const [row] = await getDb().select({ id: tags.id, slug: tags.slug, name: tags.name }).from(tags).where(eq(tags.slug, slug));
  return row;
}

export type PostInput = Partial<Omit<NewPost, 'authorId'>> & {
  author?: User;
  tags?: string[];
  /** Days relative to now for publishAt (negative = past). Ignored when publishAt is given. */
  publishedDaysAgo?: number;
};

/**
 * A post, published yesterday by default, rendered through the real pipeline. `status` and
 * `publishAt` may be anything, so drafts and future-scheduled posts can be arranged directly.
 */
export async function createPost(input: PostInput = {}): Promise<Post> {
  const { author: givenAuthor, tags: tagNames = [], publishedDaysAgo, ...overrides } = input;
  const author = givenAuthor ?? (await createUser());
  const title = overrides.title ?? `Post ${next()}`;
  const markdown = overrides.markdown ?? `A paragraph about ${title}.\n\n## A heading\n\nMore text.\n`;
  const status: PostStatus = overrides.status ?? 'published';
  const publishAt =
    'publishAt' in overrides
      ? overrides.publishAt
      : status === 'published' || status === 'scheduled'
        ? new Date(Date.now() - (publishedDaysAgo ?? 1) * 86_400_000)
        : null;
  const [row] = await getDb()
    .insert(posts)
    .values({
      slug: overrides.slug ?? slugify(`${title}-${randomUUID().slice(0, 8)}`),
      authorId: author.id,
      ...(await renderedColumns(markdown)),
      ...overrides,
      title,
      markdown,
      status,
      publishAt,
    })
    .returning();
  for (const [position, name] of tagNames.entries()) {
    const tag = await createTag(name);
    await getDb().insert(postTags).values({ postId: row.id, tagId: tag.id, position });
  }
  return row;
}
