/** `npm run content:export [-- DIR]`: writes every post as markdown with frontmatter (default export/). */
import path from 'node:path';
import { closeDb } from '@/db/client';
import { exportContentDir } from '@/lib/content/export';

const dir = path.resolve(process.argv[2] ?? 'export');
try {
  const files = await exportContentDir(dir, (file) => console.log(`  wrote ${path.relative(process.cwd(), file)}`));
  console.log(`Exported ${files.length} post(s) to ${path.relative(process.cwd(), dir) || '.'}.`);
} finally {
  await closeDb();
}
