import { z } from 'zod';
import { navigationMenus, type NavigationMenu } from '@/db/schema';
import { normalizeRedirectTarget } from '@/lib/redirects/schemas';
import { lineSchema } from '@/lib/users/schemas';

export const MAX_LABEL = 80;
export const MAX_ITEMS = 30;

export type NavigationItem = { label: string; url: string };

export const navigationMenuSchema = z.enum(navigationMenus, 'Unknown menu.');

export const navigationItemSchema = z.object({
  label: lineSchema('a label', MAX_LABEL).min(1, 'Enter a label.'),
  // Where the link goes: a path on this site (`/about`) or an http(s) URL; stored as it will be linked.
  url: z
    .string('Enter where the link goes.')
    .max(2000, 'The link is at most 2,000 characters.')
    .transform((value, ctx) => {
      const url = normalizeRedirectTarget(value);
      if (!url) ctx.addIssue({ code: 'custom', message: value.trim() ? 'A link is a path starting with / or an http(s):// URL.' : 'Enter where the link goes.' });
      return url ?? z.NEVER;
    }),
});

export const saveNavigationSchema = z.object({
  menu: navigationMenuSchema,
  items: z.array(navigationItemSchema).max(MAX_ITEMS, `A menu has at most ${MAX_ITEMS} items.`),
});
export type SaveNavigationInput = { menu: NavigationMenu; items: NavigationItem[] };

/**
 * The menu form (app/editor/navigation): one row of `label`/`url` inputs per item, a blank row to
 * add one, and the button pressed: `save`, or `up:N`, `down:N`, `remove:N` for row N. Without
 * JavaScript every button posts the whole form, so each one saves the menu as shown, edited.
 */
const MOVE = /^(up|down|remove):(\d{1,3})$/;
export const navigationFormSchema = z
  .object({
    menu: navigationMenuSchema,
    label: z.array(z.string().max(1000, 'A label is at most 80 characters.')).max(MAX_ITEMS + 1, `A menu has at most ${MAX_ITEMS} items.`),
    url: z.array(z.string().max(3000, 'The link is at most 2,000 characters.')).max(MAX_ITEMS + 1, `A menu has at most ${MAX_ITEMS} items.`),
    op: z
      .string()
      .max(20)
      .regex(/^(save|(up|down|remove):\d{1,3})$/, 'Unknown button.')
      .default('save'),
  })
  .transform(({ menu, label, url, op }, ctx) => {
    const rows = applyMenuOp(
      label.map((text, at) => ({ label: text, url: url[at] ?? '' })),
      op,
    ).filter((row) => row.label.trim() !== '' || row.url.trim() !== '');
    const items: NavigationItem[] = [];
    rows.forEach((row, at) => {
      const parsed = navigationItemSchema.safeParse(row);
      if (parsed.success) items.push(parsed.data);
      else ctx.addIssue({ code: 'custom', message: `Item ${at + 1}: ${parsed.error.issues[0].message}` });
    });
    if (items.length > MAX_ITEMS) ctx.addIssue({ code: 'custom', message: `A menu has at most ${MAX_ITEMS} items.` });
    return { menu, items };
  });

/** Moves or removes row N (a pure step of the form above); anything else leaves the rows as they are. */
export function applyMenuOp<T>(rows: T[], op: string): T[] {
  const match = MOVE.exec(op);
  if (!match) return rows;
  const at = Number(match[2]);
  if (at >= rows.length) return rows;
  const next = [...rows];
  if (match[1] === 'remove') next.splice(at, 1);
  else {
    const other = match[1] === 'up' ? at - 1 : at + 1;
    if (other < 0 || other >= next.length) return rows;
    [next[at], next[other]] = [next[other], next[at]];
  }
  return next;
}
