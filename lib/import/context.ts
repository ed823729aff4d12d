import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { importKeys, posts, slugRedirects } from '@/db/schema';
import type { Tx } from '@/lib/tags/mutations';
import type { ImportProgress, ImportReport } from './report';
import type { BodySpill } from './spill';
import type { ImportSourceKind, SourceBundle } from './types';
import type { BodyWork } from './work';

export type ImportOptions = {
  from: ImportSourceKind;
  input: NodeJS.ReadableStream | AsyncIterable<string | Buffer>;
  /** Plan everything in a transaction, report it, and roll it back. */
  dryRun: boolean;
  /** Download the old site's own images and store them as media (`--no-media`: keep them remote). */
  media: boolean;
  /** The old site's address when the export does not say (Ghost), or to override it. */
  siteUrl?: string | null;
  /** Who imports (null from the command line). */
  actorId: string | null;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Worker threads that convert and render bodies (lib/import/work.ts); 0 or unset: in the import's
   * own thread. The command line uses one per core for an export over a few MB.
   */
  threads?: number;
};

/**
 * What every step of an import's transaction shares: the export, the report being written, and
 * what this source made before (import_keys) plus every slug already taken.
 */
export type ImportContext = {
  tx: Tx;
  /** `wordpress:<site>` or `ghost:<site>`: the key's namespace. */
  source: string;
  bundle: SourceBundle;
  report: ImportReport;
  options: ImportOptions;
  /** `<entity>:<source id>` → the id of what it became here. */
  keys: Map<string, string>;
  takenSlugs: Set<string>;
  /** Renders bodies (in worker threads when the import has them). */
  work: BodyWork;
  /** Where the converted bodies' markdown waits until written. */
  spill: BodySpill;
};

export async function openContext(
  tx: Tx,
  source: string,
  bundle: SourceBundle,
  report: ImportReport,
  options: ImportOptions,
  work: BodyWork,
  spill: BodySpill,
): Promise<ImportContext> {
  const ctx: ImportContext = { tx, source, bundle, report, options, keys: new Map(), takenSlugs: new Set(), work, spill };
  const rows = await tx
    .select({ entity: importKeys.entity, sourceId: importKeys.sourceId, targetId: importKeys.targetId })
    .from(importKeys)
    .where(eq(importKeys.source, source));
  for (const row of rows) ctx.keys.set(`${row.entity}:${row.sourceId}`, row.targetId);
  const slugs = await tx.execute<{ slug: string }>(sql`select slug from ${posts} union all select slug from ${slugRedirects}`);
  for (const row of slugs.rows) ctx.takenSlugs.add(row.slug);
  return ctx;
}

/** Records what a source record became, so the next run of this export finds it. */
export async function remember(ctx: ImportContext, entity: string, sourceId: string, targetId: string): Promise<void> {
  ctx.keys.set(`${entity}:${sourceId}`, targetId);
  await ctx.tx
    .insert(importKeys)
    .values({ source: ctx.source, entity, sourceId, targetId })
    .onConflictDoUpdate({ target: [importKeys.source, importKeys.entity, importKeys.sourceId], set: { targetId } });
}

export const isHttpUrl = (value: string | null | undefined): value is string => !!value && /^https?:\/\/[^\s"'<>\\]+$/i.test(value);

/** JSON with object keys sorted: equal values give equal text. */
export const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
