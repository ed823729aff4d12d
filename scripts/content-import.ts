/** `npm run content:import [-- DIR]`: upserts every markdown file in DIR (default content/) in one transaction. */
import path from 'node:path';
import { closeDb } from '@/db/client';
import { notifyChange } from '@/lib/cache/notify';
import { ContentError } from '@/lib/content/frontmatter';
import { importContentDir } from '@/lib/content/import';

const dir = path.resolve(process.argv[2] ?? 'content');
try {
  const results = await importContentDir(dir, ({ file, slug, outcome }) =>
    console.log(`  ${outcome.padEnd(9)} ${slug}  (${path.relative(process.cwd(), file)})`),
  );
  console.log(`Imported ${results.length} file(s) from ${path.relative(process.cwd(), dir) || '.'}.`);
  // Running servers forget their cached pages (any page may show an imported post, tag or author).
  await notifyChange({ all: true });
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  console.error(`Import failed, nothing was imported: ${error.message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
