import 'server-only';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { postAuthors, posts, series, users } from '@/db/schema';
import type { ContentDocument } from './frontmatter';
import { serializeContent } from './serialize';
import { tagNamesOfPost } from '@/lib/tags/sql';

/** Every post, whatever its status, as import-format documents. */
export async function listContentDocuments(): Promise<ContentDocument[]> {
  const rows = await getDb()
    .select({
      slug: posts.slug,
      title: posts.title,
      subtitle: posts.subtitle,
      description: posts.description,
      author: users.name,
      authors: sql<string[]>`coalesce((
        select array_agg(byline.name order by ${postAuthors.position}) from ${postAuthors} join ${users} byline on byline.id = ${postAuthors.userId}
         where ${postAuthors.postId} = ${posts.id}), '{}')`,
      featured: posts.featured,
      series: sql<string | null>`(select ${series.name} from ${series} where ${series.id} = ${posts.seriesId})`,
      readTimeOverride: posts.readTimeOverride,
      publishAt: posts.publishAt,
      createdAt: posts.createdAt,
      heroImage: posts.heroImage,
      heroImageAlt: posts.heroImageAlt,
      cta: posts.cta,
      status: posts.status,
      extra: posts.extra,
      markdown: posts.markdown,
      tags: tagNamesOfPost(),
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .orderBy(asc(posts.slug));
  return rows.map((row) => ({ ...row, authors: row.authors.length ? row.authors : [row.author] }));
}

/** Writes one `<slug>.md` per post into `dir`. Returns the files written. */
export async function exportContentDir(dir: string, onProgress: (file: string) => void = () => undefined) {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const doc of await listContentDocuments()) {
    const file = path.join(dir, `${doc.slug}.md`);
    await writeFile(file, serializeContent(doc));
    onProgress(file);
    files.push(file);
  }
  return files;
}
