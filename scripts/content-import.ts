/**
 * `npm run content:import [-- DIR]`: upserts every markdown file in DIR (default content/) in one transaction.
 * `npm run content:import -- --from wordpress|ghost FILE [--dry-run] [--no-media] [--site-url URL] [--json]`:
 * imports a WordPress (WXR) or Ghost (JSON) export in one transaction and prints its report.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { closeDb } from '@/db/client';
import { notifyChange } from '@/lib/cache/notify';
import { ContentError } from '@/lib/content/frontmatter';
import { importContentDir } from '@/lib/content/import';
import type { ImportProgress } from '@/lib/import/report';
import { ImportFormatError } from '@/lib/import/types';

const argsSchema = z.object({
  from: z.enum(['wordpress', 'ghost'], { message: '--from must be "wordpress" or "ghost"' }).optional(),
  'dry-run': z.boolean().default(false),
  'no-media': z.boolean().default(false),
  'site-url': z.url({ protocol: /^https?$/, message: '--site-url must be an http(s) URL' }).optional(),
  /** For the admin page, which runs imports in a process of their own: JSON lines, and who imports. */
  json: z.boolean().default(false),
  actor: z.uuid('--actor must be a user id').optional(),
  positionals: z.array(z.string()).max(1, 'give one file or directory'),
});

function progressPrinter(json: boolean): (progress: ImportProgress) => void {
  if (json) return (progress) => console.log(JSON.stringify({ progress }));
  let last = '';
  return ({ phase, done, total }) => {
    const line = `  ${phase} ${done}/${total}`;
    if (line !== last && (done === total || done % 500 === 0)) console.log(line);
    last = line;
  };
}

async function importExport(from: 'wordpress' | 'ghost', file: string, args: z.infer<typeof argsSchema>): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new ImportFormatError(`${file}: no such file`);
  // Loaded only here: the markdown import (every npm start on an empty database) needs none of it.
  const [{ runImport }, { formatReport }, { threadsFor }] = await Promise.all([
    import('@/lib/import/apply'),
    import('@/lib/import/report'),
    import('@/lib/import/work'),
  ]);
  const report = await runImport({
    from,
    input: createReadStream(file),
    dryRun: args['dry-run'],
    media: !args['no-media'],
    siteUrl: args['site-url'] ?? null,
    actorId: args.actor ?? null,
    onProgress: progressPrinter(args.json),
    threads: threadsFor(info.size),
  });
  console.log(args.json ? JSON.stringify({ report }) : formatReport(report));
  // Running servers forget their cached pages (any page may show an imported post, tag, menu or author).
  if (!report.dryRun) await notifyChange({ all: true });
}

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-media': { type: 'boolean' },
      'site-url': { type: 'string' },
      json: { type: 'boolean' },
      actor: { type: 'string' },
    },
  });
  const parsed = argsSchema.safeParse({ ...values, positionals });
  if (!parsed.success) throw new ContentError(parsed.error.issues[0].message);
  const args = parsed.data;
  if (args.from) {
    if (!args.positionals[0]) throw new ContentError(`--from ${args.from} needs the export file`);
    await importExport(args.from, path.resolve(args.positionals[0]), args);
  } else {
    const dir = path.resolve(args.positionals[0] ?? 'content');
    const results = await importContentDir(dir, ({ file, slug, outcome }) => console.log(`  ${outcome.padEnd(9)} ${slug}  (${path.relative(process.cwd(), file)})`));
    console.log(`Imported ${results.length} file(s) from ${path.relative(process.cwd(), dir) || '.'}.`);
    await notifyChange({ all: true });
  }
} catch (error) {
  if (!(error instanceof ContentError || error instanceof ImportFormatError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
  if (process.argv.includes('--json')) console.log(JSON.stringify({ error: (error as Error).message }));
  else console.error(`Import failed, nothing was imported: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
