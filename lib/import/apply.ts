import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { recordAudit } from '@/lib/audit/mutations';
import { env } from '@/lib/env';
import { getStorage } from '@/lib/media/storage';
import { openContext, type ImportOptions } from './context';
import { parseGhostExport } from './ghost';
import { fetchImages, isOnSite, type FetchedImage } from './media';
import { emptyReport, type ImportReport } from './report';
import type { BodyConversion, SourceBundle } from './types';
import { inlineBodyWork, threadedBodyWork, type BodyWork } from './work';
import { parseWordPressExport } from './wordpress';
import { writeEntries } from './write-entries';
import { writeNavigation, writeRedirects } from './write-links';
import { BodySpill } from './spill';
import { storeMedia } from './write-media';
import { placeUsersAndTags } from './write-people';

export type { ImportOptions } from './context';
export type { ImportProgress } from './report';

/** One import at a time on a database: two would race for the same slugs and keys. */
const IMPORT_LOCK = 720_454;

class DryRunRollback extends Error {}

/**
 * Reads an export and converts its bodies as they stream past (in `work`'s threads, if it has
 * some), keeping their markdown in `spill` until they are written.
 */
export async function readExport(options: Pick<ImportOptions, 'from' | 'input' | 'siteUrl'>, work: BodyWork, spill: BodySpill): Promise<SourceBundle> {
  const override = options.siteUrl ? options.siteUrl.replace(/\/+$/, '') : null;
  const convert: BodyConversion = async (html, converterOptions) =>
    spill.keep(await work.convert(html, { ...converterOptions, siteUrl: override ?? converterOptions.siteUrl }));
  const parse = options.from === 'wordpress' ? parseWordPressExport : parseGhostExport;
  const bundle = await parse(options.input, convert, work.room);
  const siteUrl = override ?? bundle.siteUrl;
  // Ghost writes its own address as a placeholder; bodies were resolved by the converter.
  const resolve = (url: string) => url.replace(/^__GHOST_URL__/, siteUrl ?? '');
  for (const entry of bundle.entries) if (entry.featureImage) entry.featureImage.url = resolve(entry.featureImage.url);
  for (const user of bundle.users) if (user.avatarUrl) user.avatarUrl = resolve(user.avatarUrl);
  return { ...bundle, siteUrl };
}

/**
 * Imports a WordPress or Ghost export in ONE transaction: users, tags, posts and pages, the old
 * site's images, menus and a redirect from every old public address. Keyed by the source's ids
 * (import_keys), so the same export again changes nothing and a newer one updates what changed.
 * Throws ImportFormatError (nothing imported) for a file that cannot be read.
 */
export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const work = options.threads ? await threadedBodyWork(options.threads) : inlineBodyWork();
  const spill = new BodySpill();
  try {
    return await importWith(options, work, spill);
  } finally {
    spill.close();
    await work.close();
  }
}

async function importWith(options: ImportOptions, work: BodyWork, spill: BodySpill): Promise<ImportReport> {
  const started = Date.now();
  const bundle = await readExport(options, work, spill);
  const report = emptyReport(bundle.source, bundle.siteUrl, options.dryRun);
  report.problems.push(...bundle.warnings);
  report.totals.comments = bundle.entries.reduce((sum, entry) => sum + entry.commentCount, 0);
  options.onProgress?.({ phase: 'reading', done: bundle.entries.length, total: bundle.entries.length });

  const fetched = await fetchSiteImages(bundle, options, report);
  const sourceName = `${bundle.source}:${bundle.siteUrl ?? 'unknown'}`;
  const stored: string[] = [];
  try {
    await getDb().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
      const ctx = await openContext(tx, sourceName, bundle, report, options, work, spill);
      const mediaUrls = await storeMedia(ctx, fetched, stored);
      const placed = await placeUsersAndTags(ctx);
      await writeEntries(ctx, mediaUrls, placed);
      await writeRedirects(ctx, placed);
      await writeNavigation(ctx, placed);
      await recordAudit(
        {
          actorId: options.actorId,
          action: options.dryRun ? 'import.dry-run' : 'import.run',
          targetType: 'import',
          targetId: sourceName.slice(0, 200),
          detail: { totals: report.totals, problems: report.entries.filter((e) => e.problems.length > 0).length },
        },
        tx,
      );
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) {
      // The rows never committed: do not leave their image bytes behind.
      const storage = getStorage();
      await Promise.all(stored.map((key) => storage.delete(key).catch(() => undefined)));
      throw error;
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** The old site's own images, fetched and cleaned; everything else is listed as left remote. */
async function fetchSiteImages(bundle: SourceBundle, options: ImportOptions, report: ImportReport): Promise<Map<string, FetchedImage>> {
  const all = new Set<string>();
  for (const entry of bundle.entries) {
    for (const url of entry.body.images) all.add(url);
    if (entry.featureImage?.url) all.add(entry.featureImage.url);
  }
  const wanted: string[] = [];
  for (const url of all) {
    if (!/^https?:\/\//i.test(url)) {
      if (!url.startsWith('/media/'))
        report.remoteImages.push({ url, reason: 'a relative address, and the export names no site to fetch it from (use --site-url)' });
    } else if (!isOnSite(url, bundle.siteUrl)) {
      report.remoteImages.push({ url, reason: 'on another site' });
    } else if (!options.media) {
      report.remoteImages.push({ url, reason: 'kept remote (--no-media)' });
    } else {
      wanted.push(url);
    }
  }
  const outcomes = await fetchImages(wanted, {
    maxBytes: env().MEDIA_MAX_BYTES,
    onDone: (done, total) => options.onProgress?.({ phase: 'images', done, total }),
  });
  const fetched = new Map<string, FetchedImage>();
  for (const outcome of outcomes.values()) {
    if ('error' in outcome) {
      report.remoteImages.push({ url: outcome.url, reason: `could not be downloaded: ${outcome.error}` });
      report.totals.media.skipped += 1;
    } else {
      fetched.set(outcome.url, outcome);
    }
  }
  return fetched;
}
