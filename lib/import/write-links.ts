import 'server-only';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { navigationItems, redirects, type NavigationMenu } from '@/db/schema';
import { normalizeRedirectPath } from '@/lib/redirects/paths';
import { isHttpUrl, stableJson, type ImportContext } from './context';
import { oldAddresses, onSitePath, type Placed } from './old-urls';
import type { SourceNavItem } from './types';

const MAX_NAV_ITEMS = 30;
const MAX_NAV_LABEL = 80;

/** A redirect from every old public address; one set by hand is never replaced. */
export async function writeRedirects(ctx: ImportContext, placed: Placed): Promise<void> {
  const tally = ctx.report.totals.redirects;
  const wanted = oldAddresses(ctx.bundle, placed);
  for (let start = 0; start < wanted.length; start += 1000) {
    const chunk = wanted.slice(start, start + 1000);
    const existing = new Map(
      (
        await ctx.tx
          .select({ from: redirects.fromPath, to: redirects.toPath, source: redirects.source, status: redirects.statusCode })
          .from(redirects)
          .where(
            inArray(
              redirects.fromPath,
              chunk.map((pair) => pair.from),
            ),
          )
      ).map((row) => [row.from, row]),
    );
    const fresh = [];
    for (const pair of chunk) {
      const row = existing.get(pair.from);
      if (!row) {
        fresh.push({ fromPath: pair.from, toPath: pair.to, statusCode: 301, source: ctx.source });
        tally.created += 1;
      } else if (row.source === 'manual') {
        tally.skipped += 1;
        if (row.to !== pair.to) ctx.report.problems.push(`${pair.from} already redirects to ${row.to} (set by hand): kept, instead of ${pair.to}`);
      } else if (row.to === pair.to && row.status === 301) {
        tally.unchanged += 1;
      } else {
        await ctx.tx
          .update(redirects)
          .set({ toPath: pair.to, statusCode: 301, source: ctx.source, updatedAt: sql`now()` })
          .where(eq(redirects.fromPath, pair.from));
        tally.updated += 1;
      }
    }
    if (fresh.length > 0) await ctx.tx.insert(redirects).values(fresh);
  }
}

/** The export's menus replace ours, menu by menu, when they differ. */
export async function writeNavigation(ctx: ImportContext, placed: Placed): Promise<void> {
  if (ctx.bundle.navigation.length === 0) return;
  const tally = ctx.report.totals.navigation;
  const moved = new Map(oldAddresses(ctx.bundle, placed).map((pair) => [pair.from, pair.to]));
  const tagPaths = new Map([...placed.tags].map(([id, slug]) => [id, `/tags/${slug}`]));
  for (const menu of ['primary', 'footer'] as NavigationMenu[]) {
    const items = ctx.bundle.navigation.filter((item) => item.menu === menu).sort((a, b) => a.position - b.position);
    if (items.length === 0) continue;
    const resolved: { label: string; url: string }[] = [];
    for (const item of items) {
      const url = navUrl(ctx, item, placed, tagPaths, moved);
      if (!url) {
        tally.skipped += 1;
        ctx.report.problems.push(`menu item "${item.label}" (${menu}) points at nothing that was imported: left out`);
        continue;
      }
      resolved.push({ label: (item.label.trim() || url).slice(0, MAX_NAV_LABEL), url });
    }
    if (resolved.length > MAX_NAV_ITEMS) {
      ctx.report.problems.push(`the ${menu} menu has ${resolved.length} items: only the first ${MAX_NAV_ITEMS} kept`);
      tally.skipped += resolved.length - MAX_NAV_ITEMS;
      resolved.length = MAX_NAV_ITEMS;
    }
    const current = await ctx.tx
      .select({ label: navigationItems.label, url: navigationItems.url })
      .from(navigationItems)
      .where(eq(navigationItems.menu, menu))
      .orderBy(asc(navigationItems.position));
    if (stableJson(current) === stableJson(resolved)) {
      tally.unchanged += resolved.length;
      continue;
    }
    await ctx.tx.delete(navigationItems).where(eq(navigationItems.menu, menu));
    if (resolved.length > 0) {
      await ctx.tx.insert(navigationItems).values(resolved.map((item, position) => ({ menu, position, ...item })));
    }
    tally[current.length === 0 ? 'created' : 'updated'] += resolved.length;
  }
}

function navUrl(ctx: ImportContext, item: SourceNavItem, placed: Placed, tagPaths: Map<string, string>, moved: Map<string, string>): string | null {
  const { target } = item;
  if (target.type === 'entry') return placed.entries.get(target.sourceId)?.path ?? null;
  if (target.type === 'tag') return tagPaths.get(target.sourceId) ?? null;
  const path = onSitePath(target.url, ctx.bundle.siteUrl);
  if (path !== null) {
    const normal = normalizeRedirectPath(path) ?? path;
    return moved.get(normal) ?? normal;
  }
  return isHttpUrl(target.url) ? target.url : null;
}
