import 'server-only';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts } from '@/db/schema';
import { knownEmbeds } from '@/lib/embeds/queries';
import { MarkdownTooLargeError, RENDERER_VERSION } from '@/lib/markdown';
import { renderedColumns } from '@/lib/posts/render';

/**
 * Re-renders stored HTML after the pipeline changed: posts rendered by an older RENDERER_VERSION
 * (or every post with `all`), in batches, each row updated only if its markdown is still the one
 * rendered. Does not bump the post's version: the author's text did not change. A post whose
 * markdown the pipeline now refuses (saved before a limit existed) keeps its stored HTML and is
 * named on stderr, so one such post cannot stop the run.
 */
export async function rerenderPosts({ all = false, batch = 200, onProgress = (_n: number) => {} } = {}) {
  const db = getDb();
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .select({ id: posts.id, markdown: posts.markdown })
      .from(posts)
      .where(and(gt(posts.id, after), all ? undefined : lt(posts.rendererVersion, RENDERER_VERSION)))
      .orderBy(asc(posts.id))
      .limit(batch);
    if (rows.length === 0) return done;
    for (const row of rows) {
      let columns: Awaited<ReturnType<typeof renderedColumns>>;
      try {
        // Embeds from the cache only: a re-render never asks a provider (a save does).
        columns = await renderedColumns(row.markdown, await knownEmbeds(row.markdown));
      } catch (error) {
        if (!(error instanceof MarkdownTooLargeError)) throw error;
        console.warn(`[rerender] post ${row.id} kept its stored HTML: ${error.message}`);
        continue;
      }
      await db
        .update(posts)
        .set(columns)
        .where(and(eq(posts.id, row.id), sql`${posts.markdown} = ${row.markdown}`));
    }
    done += rows.length;
    after = rows.at(-1)!.id;
    onProgress(done);
  }
}
