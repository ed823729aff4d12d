/**
 * What an import did, or would do (a dry run): the same shape for the CLI, the admin page and the
 * audit log. Plain data, JSON-safe.
 */
import type { ImportSourceKind } from './types';

/** How far an import is, for a progress bar. */
export type ImportProgress = { phase: 'reading' | 'images' | 'writing'; done: number; total: number };

export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped';
export type Tally = Record<Outcome, number>;

export type EntryLine = {
  sourceId: string;
  kind: 'post' | 'page';
  title: string;
  /** Where it lives here ('' when skipped). */
  path: string;
  status: string;
  outcome: Outcome;
  problems: string[];
};

export type ImportReport = {
  source: ImportSourceKind;
  siteUrl: string | null;
  dryRun: boolean;
  totals: {
    posts: Tally;
    pages: Tally;
    users: Tally;
    tags: Tally;
    media: Tally;
    redirects: Tally;
    navigation: Tally;
    /** Comments in the export: never imported, counted. */
    comments: number;
  };
  entries: EntryLine[];
  /** Images left at their old address, with why (another host, --no-media, unreachable…). */
  remoteImages: { url: string; reason: string }[];
  /** Problems that are not about one post. */
  problems: string[];
  durationMs: number;
};

export const emptyTally = (): Tally => ({ created: 0, updated: 0, unchanged: 0, skipped: 0 });

export function emptyReport(source: ImportSourceKind, siteUrl: string | null, dryRun: boolean): ImportReport {
  return {
    source,
    siteUrl,
    dryRun,
    totals: {
      posts: emptyTally(),
      pages: emptyTally(),
      users: emptyTally(),
      tags: emptyTally(),
      media: emptyTally(),
      redirects: emptyTally(),
      navigation: emptyTally(),
      comments: 0,
    },
    entries: [],
    remoteImages: [],
    problems: [],
    durationMs: 0,
  };
}

const TALLY_ORDER: Outcome[] = ['created', 'updated', 'unchanged', 'skipped'];

export function formatTally(tally: Tally, dryRun = false): string {
  const words: Record<Outcome, string> = dryRun
    ? { created: 'to create', updated: 'to update', unchanged: 'unchanged', skipped: 'to skip' }
    : { created: 'created', updated: 'updated', unchanged: 'unchanged', skipped: 'skipped' };
  return (
    TALLY_ORDER.filter((key) => tally[key] > 0)
      .map((key) => `${tally[key]} ${words[key]}`)
      .join(', ') || 'none'
  );
}

/** The report as lines of text, for a terminal. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const { totals } = report;
  lines.push(
    `${report.dryRun ? 'Dry run of' : 'Imported'} a ${report.source === 'wordpress' ? 'WordPress' : 'Ghost'} export${report.siteUrl ? ` of ${report.siteUrl}` : ''} in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  for (const key of ['posts', 'pages', 'users', 'tags', 'media', 'redirects', 'navigation'] as const) {
    lines.push(`  ${key.padEnd(10)} ${formatTally(totals[key], report.dryRun)}`);
  }
  lines.push(`  ${'comments'.padEnd(10)} ${totals.comments} in the export, not imported`);
  const troubled = report.entries.filter((entry) => entry.problems.length > 0);
  if (troubled.length > 0) {
    lines.push('', `Problems in ${troubled.length} post(s) and page(s):`);
    for (const entry of troubled) {
      lines.push(`  ${entry.kind} ${entry.sourceId} "${entry.title}"${entry.path ? ` → ${entry.path}` : ''}`);
      for (const problem of entry.problems) lines.push(`    - ${problem}`);
    }
  }
  if (report.remoteImages.length > 0) {
    lines.push('', `Images left at their old address (${report.remoteImages.length}):`);
    for (const image of report.remoteImages) lines.push(`  ${image.url} (${image.reason})`);
  }
  if (report.problems.length > 0) {
    lines.push('', 'Other problems:');
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return lines.join('\n');
}
