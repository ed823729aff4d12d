/** `npm run content:rerender [-- --all]`: re-renders posts whose HTML came from an older pipeline version. */
import { closeDb } from '@/db/client';
import { notifyChange } from '@/lib/cache/notify';
import { rerenderPosts } from '@/lib/content/rerender';
import { RENDERER_VERSION } from '@/lib/markdown';

try {
  const count = await rerenderPosts({
    all: process.argv.includes('--all'),
    onProgress: (n) => console.log(`  re-rendered ${n} post(s)`),
  });
  console.log(`Done: ${count} post(s) now rendered by pipeline version ${RENDERER_VERSION}.`);
  if (count > 0) await notifyChange({ all: true });
} finally {
  await closeDb();
}
