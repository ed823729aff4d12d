import { asc } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, navigationItems } from '@/db/schema';
import { AuthError, ForbiddenError, ValidationError } from '@/lib/auth/errors';
import { saveNavigation } from '@/lib/navigation/mutations';
import { getNavigationForEditing, listNavigation } from '@/lib/navigation/queries';
import { insertCast, refused, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

async function rows() {
  return getDb()
    .select({ menu: navigationItems.menu, position: navigationItems.position, label: navigationItems.label, url: navigationItems.url })
    .from(navigationItems)
    .orderBy(asc(navigationItems.menu), asc(navigationItems.position));
}
async function audits() {
  return getDb().select({ action: auditLog.action, targetId: auditLog.targetId, detail: auditLog.detail }).from(auditLog).orderBy(asc(auditLog.id));
}

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
});

describe('saving a menu', () => {
  it('replaces the menu in order, leaves the other alone, and audits a real change only', async () => {
    signInAs(cast.E);
    await saveNavigation('footer', [{ label: 'Contact', url: '/contact' }]);
    expect(
      await saveNavigation('primary', [
        { label: 'About', url: '/about' },
        { label: ' Archive ', url: 'https://example.com/archive' },
      ]),
    ).toEqual({ changed: true });
    expect(
      await saveNavigation('primary', [
        { label: 'Archive', url: 'https://example.com/archive' },
        { label: 'About', url: '/about' },
      ]),
    ).toEqual({ changed: true });
    expect(
      await saveNavigation('primary', [
        { label: 'Archive', url: 'https://example.com/archive' },
        { label: 'About', url: '/about' },
      ]),
    ).toEqual({ changed: false });
    expect(await rows()).toEqual([
      { menu: 'primary', position: 0, label: 'Archive', url: 'https://example.com/archive' },
      { menu: 'primary', position: 1, label: 'About', url: '/about' },
      { menu: 'footer', position: 0, label: 'Contact', url: '/contact' },
    ]);
    expect(await listNavigation()).toEqual({
      primary: [
        { label: 'Archive', url: 'https://example.com/archive' },
        { label: 'About', url: '/about' },
      ],
      footer: [{ label: 'Contact', url: '/contact' }],
    });
    expect((await audits()).map((entry) => [entry.action, entry.targetId])).toEqual([
      ['navigation.update', 'footer'],
      ['navigation.update', 'primary'],
      ['navigation.update', 'primary'],
    ]);
    signInAs(cast.Z);
    expect(await saveNavigation('footer', [])).toEqual({ changed: true });
    expect((await getNavigationForEditing()).footer).toEqual([]);
  });

  it('refuses what is not a menu, naming the problem, and changes nothing', async () => {
    signInAs(cast.Z);
    await saveNavigation('primary', [{ label: 'Home', url: '/' }]);
    const before = { rows: await rows(), audit: await audits() };
    for (const items of [
      [{ label: '', url: '/x' }],
      [{ label: 'x'.repeat(81), url: '/x' }],
      [{ label: 'Evil', url: 'javascript:alert(1)' }],
      [{ label: 'Evil', url: '//evil.example/' }],
      Array.from({ length: 31 }, (_, i) => ({ label: `Item ${i}`, url: `/i${i}` })),
    ]) {
      expect(await refused(() => saveNavigation('primary', items))).toBeInstanceOf(ValidationError);
    }
    expect(await refused(() => saveNavigation('sidebar' as never, []))).toBeInstanceOf(ValidationError);
    expect({ rows: await rows(), audit: await audits() }).toEqual(before);
  });
});

describe('who may edit menus', () => {
  it('editors and admins; authors, contributors, disabled and signed-out people change nothing', async () => {
    signInAs(cast.Z);
    await saveNavigation('primary', [{ label: 'Home', url: '/' }]);
    const before = { rows: await rows(), audit: await audits() };
    for (const [who, Expected] of [
      [cast.A, ForbiddenError],
      [cast.C, ForbiddenError],
      [cast.D, AuthError],
      [null, AuthError],
    ] as const) {
      signInAs(who);
      expect(await refused(() => saveNavigation('primary', []))).toBeInstanceOf(Expected);
      expect(await refused(() => getNavigationForEditing())).toBeInstanceOf(Expected);
    }
    expect({ rows: await rows(), audit: await audits() }).toEqual(before);
  });

  it('two saves of one menu at once leave one of them whole, never both mixed', async () => {
    signInAs(cast.E);
    const one = Array.from({ length: 5 }, (_, i) => ({ label: `One ${i}`, url: `/one/${i}` }));
    const two = Array.from({ length: 7 }, (_, i) => ({ label: `Two ${i}`, url: `/two/${i}` }));
    await Promise.all([saveNavigation('primary', one), saveNavigation('primary', two)]);
    const { primary } = await getNavigationForEditing();
    expect([one, two]).toContainEqual(primary);
  });
});
