import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, passwordTokens, siteSettings, tags, users, type NewUser, type Role } from '@/db/schema';
import { listAudit } from '@/lib/audit/queries';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { needsSetup } from '@/lib/auth/accounts';
import { verifyPassword } from '@/lib/auth/password';
import { getSessionClaims } from '@/lib/auth/session';
import { getViewer } from '@/lib/auth/viewer';
import { updateSiteSettings } from '@/lib/site/mutations';
import { getSiteSettings } from '@/lib/site/settings';
import { deleteTag, listTagsWithCounts, updateTag } from '@/lib/tags/admin';
import { listUsers } from '@/lib/users/admin-queries';
import { acceptInvite, changeRole, createFirstAdmin, getInvite, hashToken, inviteUser, LAST_ADMIN_MESSAGE, setUserDisabled } from '@/lib/users/mutations';
import { resetDatabase } from '../support/db';
import { createPost, createTag, createUser } from '../support/factories';
import { cookieFor, openSession } from '../support/sessions';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const PASSWORD = 'correct horse battery';
let counter = 0;

async function makeUser(role: Role, overrides: Partial<NewUser> = {}) {
  counter += 1;
  const [row] = await getDb()
    .insert(users)
    .values({ name: `${role} ${counter}`, slug: `${role}-${counter}`, email: `${role}${counter}@example.test`, role, ...overrides })
    .returning({ id: users.id, email: users.email, role: users.role });
  return row;
}

function actAs(user: { id: string } | null) {
  if (!user) vi.mocked(getSessionClaims).mockResolvedValue(null);
  else vi.mocked(getSessionClaims).mockImplementation(cookieFor(user.id));
}

async function activeAdmins(): Promise<number> {
  const [{ n }] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.role} = 'admin' and ${users.disabledAt} is null and ${users.email} is not null`);
  return n;
}

async function auditActions(): Promise<string[]> {
  return (await getDb().select({ action: auditLog.action }).from(auditLog).orderBy(auditLog.id)).map((r) => r.action);
}

beforeEach(async () => {
  await resetDatabase();
  vi.mocked(getSessionClaims).mockReset();
  actAs(null);
});

describe('first-run setup', () => {
  it('creates one argon2id admin, then refuses', async () => {
    expect(await needsSetup()).toBe(true);
    const { userId } = await createFirstAdmin({ name: 'Ada Admin', email: ' Ada@Example.TEST ', password: PASSWORD });
    const [row] = await getDb().select().from(users).where(eq(users.id, userId));
    expect(row).toMatchObject({ role: 'admin', email: 'ada@example.test', slug: 'ada-admin', disabledAt: null });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
    expect(await needsSetup()).toBe(false);
    expect(await auditActions()).toEqual(['user.setup']);

    await expect(createFirstAdmin({ name: 'Eve', email: 'eve@example.test', password: PASSWORD })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getDb().select({ id: users.id }).from(users)).toHaveLength(1);
  });

  it('lets exactly one of concurrent setups win', async () => {
    // Hold writers to users back until all three setups wait for the table lock, so they truly overlap.
    let racing!: Promise<PromiseSettledResult<{ userId: string }>[]>;
    await getDb().transaction(async (tx) => {
      await tx.execute(sql`lock table ${users} in share mode`);
      racing = Promise.allSettled([
        createFirstAdmin({ name: 'One', email: 'one@example.test', password: PASSWORD }),
        createFirstAdmin({ name: 'Two', email: 'two@example.test', password: PASSWORD }),
        createFirstAdmin({ name: 'Three', email: 'three@example.test', password: PASSWORD }),
      ]);
      await vi.waitFor(
        async () => {
          const { rows } = await tx.execute<{ waiting: number }>(
            sql`select count(*)::int as waiting from pg_locks where locktype = 'relation' and relation = 'users'::regclass and not granted`,
          );
          expect(rows[0].waiting).toBe(3);
        },
        { timeout: 10_000, interval: 20 },
      );
    });
    const results = await racing;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ForbiddenError);
    expect(await activeAdmins()).toBe(1);
    expect(await getDb().select({ id: users.id }).from(users)).toHaveLength(1);
  });

  it('claims an imported author of the same name, posts and all', async () => {
    const [imported] = await getDb().insert(users).values({ name: 'Ann Author', slug: 'ann-author' }).returning();
    const post = await createPost({ author: imported });
    const { userId } = await createFirstAdmin({ name: 'Ann Author', email: 'ann@example.test', password: PASSWORD });
    expect(userId).toBe(imported.id);
    const [row] = await getDb().select().from(users).where(eq(users.id, userId));
    expect(row).toMatchObject({ role: 'admin', email: 'ann@example.test', slug: 'ann-author' });
    expect(post.authorId).toBe(userId);
    expect(await getDb().select({ id: users.id }).from(users)).toHaveLength(1);
  });

  it('refuses bad input with a ValidationError naming the field', async () => {
    await expect(createFirstAdmin({ name: 'A', email: 'not-an-email', password: PASSWORD })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'email',
    });
    await expect(createFirstAdmin({ name: 'A', email: 'a@example.test', password: 'short' })).rejects.toMatchObject({ field: 'password' });
    // PostgreSQL would refuse a NUL with an internal error: it is a validation message instead.
    await expect(createFirstAdmin({ name: 'A\u0000B', email: 'a@example.test', password: PASSWORD })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'name',
    });
    expect(await needsSetup()).toBe(true);
  });
});

describe('invites', () => {
  it('inviting an imported author by name claims their byline and posts; another name gets an account of its own', async () => {
    const admin = await makeUser('admin');
    const byline = await createUser({ email: null, name: 'Old Orchard Writer', role: 'author' });
    const post = await createPost({ author: byline });
    actAs(admin);
    const { userId, token } = await inviteUser({ name: 'old orchard writer', email: 'writer@example.test', role: 'author' });
    expect(userId).toBe(byline.id);
    const [row] = await getDb().select().from(users).where(eq(users.id, userId));
    expect(row).toMatchObject({ email: 'writer@example.test', role: 'author', passwordHash: null });
    expect(post.authorId).toBe(userId);
    actAs(null);
    await acceptInvite({ token, password: PASSWORD });
    actAs(admin);
    const other = await inviteUser({ name: 'Someone Else', email: 'else@example.test', role: 'author' });
    expect(other.userId).not.toBe(byline.id);
  });

  it('admins invite anyone; the link works once', async () => {
    const admin = await makeUser('admin');
    actAs(admin);
    const { userId, token } = await inviteUser({ name: 'New Editor', email: 'ned@example.test', role: 'editor' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await getDb().select().from(passwordTokens).where(eq(passwordTokens.userId, userId));
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(stored.tokenHash).not.toContain(token);
    const hours = (stored.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);

    const list = await listUsers();
    expect(list.find((u) => u.id === userId)).toMatchObject({ status: 'invited', hasPassword: false, role: 'editor' });
    expect(JSON.stringify(list)).not.toContain('passwordHash');

    expect(await getInvite(token)).toEqual({ name: 'New Editor', email: 'ned@example.test' });
    actAs(null); // accepting needs no session
    await acceptInvite({ token, password: PASSWORD });
    const [row] = await getDb().select().from(users).where(eq(users.id, userId));
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);

    expect(await getInvite(token)).toBeNull();
    await expect(acceptInvite({ token, password: 'another password' })).rejects.toBeInstanceOf(NotFoundError);
    const [again] = await getDb().select().from(users).where(eq(users.id, userId));
    expect(again.passwordHash).toBe(row.passwordHash);
    expect(await auditActions()).toEqual(['user.invite', 'user.accept']);
  });

  it('two simultaneous uses of one link: exactly one succeeds', async () => {
    actAs(await makeUser('admin'));
    const { token } = await inviteUser({ name: 'Racer', email: 'racer@example.test', role: 'author' });
    const results = await Promise.allSettled([acceptInvite({ token, password: 'password one!' }), acceptInvite({ token, password: 'password two!' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a link stops working after 48 hours', async () => {
    actAs(await makeUser('admin'));
    const { userId, token } = await inviteUser({ name: 'Late', email: 'late@example.test', role: 'author' });
    await getDb()
      .update(passwordTokens)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(passwordTokens.userId, userId));
    expect(await getInvite(token)).toBeNull();
    await expect(acceptInvite({ token, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError);
    const [row] = await getDb().select({ h: users.passwordHash }).from(users).where(eq(users.id, userId));
    expect(row.h).toBeNull();
  });

  it('unknown and malformed tokens are simply not found', async () => {
    expect(await getInvite('nope')).toBeNull();
    expect(await getInvite('A'.repeat(43))).toBeNull();
    await expect(acceptInvite({ token: 'nope', password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('editors invite contributors and authors only', async () => {
    actAs(await makeUser('editor'));
    await expect(inviteUser({ name: 'C', email: 'c@example.test', role: 'contributor' })).resolves.toBeTruthy();
    await expect(inviteUser({ name: 'A', email: 'a@example.test', role: 'author' })).resolves.toBeTruthy();
    await expect(inviteUser({ name: 'E', email: 'e@example.test', role: 'editor' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(inviteUser({ name: 'X', email: 'x@example.test', role: 'admin' })).rejects.toBeInstanceOf(ForbiddenError);
    // Editors see the list, read-only.
    expect((await listUsers()).map((u) => u.email)).toContain('c@example.test');
    const emails = (await getDb().select({ email: users.email }).from(users)).map((r) => r.email);
    expect(emails).not.toContain('e@example.test');
    expect(emails).not.toContain('x@example.test');
  });

  it('authors, contributors and signed-out visitors cannot invite or list', async () => {
    for (const role of ['author', 'contributor'] as const) {
      actAs(await makeUser(role));
      await expect(inviteUser({ name: 'C', email: 'c@example.test', role: 'contributor' })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listUsers()).rejects.toBeInstanceOf(ForbiddenError);
    }
    actAs(null);
    await expect(inviteUser({ name: 'C', email: 'c@example.test', role: 'contributor' })).rejects.toBeInstanceOf(AuthError);
    expect(await getDb().select().from(passwordTokens)).toHaveLength(0);
  });

  it('refuses a duplicate email (any case) and gives a namesake a fresh slug', async () => {
    const admin = await makeUser('admin', { name: 'Same Name', slug: 'same-name' });
    actAs(admin);
    await expect(inviteUser({ name: 'Other', email: admin.email!.toUpperCase(), role: 'author' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Someone already has that email.',
      field: 'email',
    });
    const { userId } = await inviteUser({ name: 'Same Name', email: 'twin@example.test', role: 'author' });
    const [row] = await getDb().select({ slug: users.slug }).from(users).where(eq(users.id, userId));
    expect(row.slug).toBe('same-name-2');
  });

  it('a concurrent duplicate invite gets the same clear message', async () => {
    actAs(await makeUser('admin'));
    const results = await Promise.allSettled([
      inviteUser({ name: 'Dup One', email: 'dup@example.test', role: 'author' }),
      inviteUser({ name: 'Dup Two', email: 'dup@example.test', role: 'author' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ValidationError);
    expect(rejected.reason.message).toBe('Someone already has that email.');
  });
});

describe('roles and disabling', () => {
  it('admins change roles, with an audit entry', async () => {
    const admin = await makeUser('admin');
    const author = await makeUser('author');
    actAs(admin);
    expect(await changeRole({ userId: author.id, role: 'editor' })).toEqual({ changed: true });
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, 'user.role'));
    expect(entry).toMatchObject({ actorId: admin.id, targetId: author.id, detail: { from: 'author', to: 'editor' } });
  });

  it('only admins change roles or disable', async () => {
    const editor = await makeUser('editor');
    const author = await makeUser('author');
    actAs(editor);
    await expect(changeRole({ userId: author.id, role: 'editor' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setUserDisabled({ userId: author.id, disabled: true })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(changeRole({ userId: editor.id, role: 'admin' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('the last admin can be neither demoted nor disabled, with a clear message', async () => {
    const admin = await makeUser('admin');
    // Neither a disabled admin nor an email-less one counts.
    await makeUser('admin', { disabledAt: new Date() });
    await makeUser('admin', { email: null });
    actAs(admin);
    await expect(changeRole({ userId: admin.id, role: 'editor' })).rejects.toThrow(new ForbiddenError(LAST_ADMIN_MESSAGE));
    await expect(setUserDisabled({ userId: admin.id, disabled: true })).rejects.toThrow(new ForbiddenError(LAST_ADMIN_MESSAGE));
    expect(await activeAdmins()).toBe(1);

    const second = await makeUser('admin');
    await changeRole({ userId: admin.id, role: 'editor' });
    // A role change ends every session of the person changed, here the admin's own: signed out.
    await expect(setUserDisabled({ userId: second.id, disabled: true })).rejects.toBeInstanceOf(AuthError);
    // Signed in again, they are an editor now.
    actAs(admin);
    await expect(setUserDisabled({ userId: second.id, disabled: true })).rejects.toBeInstanceOf(ForbiddenError);
    actAs(second);
    await expect(setUserDisabled({ userId: second.id, disabled: true })).rejects.toThrow(LAST_ADMIN_MESSAGE);
  });

  it('two admins demoting each other at once leave at least one admin', async () => {
    for (let round = 0; round < 5; round += 1) {
      await resetDatabase();
      const a = await makeUser('admin');
      const b = await makeUser('admin');
      vi.mocked(getSessionClaims)
        .mockResolvedValueOnce(await openSession(a.id))
        .mockResolvedValueOnce(await openSession(b.id));
      const results = await Promise.allSettled([changeRole({ userId: b.id, role: 'author' }), changeRole({ userId: a.id, role: 'author' })]);
      expect(await activeAdmins()).toBe(1);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    }
  });

  it('two admins disabling each other at once leave at least one admin', async () => {
    for (let round = 0; round < 5; round += 1) {
      await resetDatabase();
      const a = await makeUser('admin');
      const b = await makeUser('admin');
      vi.mocked(getSessionClaims)
        .mockResolvedValueOnce(await openSession(a.id))
        .mockResolvedValueOnce(await openSession(b.id));
      await Promise.allSettled([setUserDisabled({ userId: b.id, disabled: true }), setUserDisabled({ userId: a.id, disabled: true })]);
      expect(await activeAdmins()).toBe(1);
    }
  });

  it("a disabled user's session stops working at once, and comes back when enabled", async () => {
    const admin = await makeUser('admin');
    const author = await makeUser('author');
    actAs(author);
    expect((await getViewer())?.id).toBe(author.id);
    actAs(admin);
    await setUserDisabled({ userId: author.id, disabled: true });
    actAs(author);
    // getViewer is wrapped in React cache, which outside a request does not memoise: this is a fresh read.
    expect(await getViewer()).toBeNull();
    await expect(listTagsWithCounts()).rejects.toBeInstanceOf(AuthError);
    actAs(admin);
    expect((await listUsers()).find((u) => u.id === author.id)?.status).toBe('disabled');
    await setUserDisabled({ userId: author.id, disabled: false });
    actAs(author);
    expect((await getViewer())?.id).toBe(author.id);
    expect(await auditActions()).toEqual(['user.disable', 'user.enable']);
  });

  it('an invite for a disabled account does not work', async () => {
    const admin = await makeUser('admin');
    actAs(admin);
    const { userId, token } = await inviteUser({ name: 'Soon Gone', email: 'gone@example.test', role: 'author' });
    await setUserDisabled({ userId, disabled: true });
    expect(await getInvite(token)).toBeNull();
    await expect(acceptInvite({ token, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('site settings', () => {
  const valid = { title: 'The Paper', description: 'News.', defaultCta: 'Subscribe!', timeZone: 'Europe/London', postsPerPage: 12 };

  it('admins save them; the change is audited with its keys', async () => {
    actAs(await makeUser('admin'));
    expect((await updateSiteSettings(valid)).changed).toEqual(['title', 'description', 'defaultCta', 'timeZone', 'postsPerPage']);
    expect(await getSiteSettings()).toMatchObject(valid);
    const { changed } = await updateSiteSettings({ ...valid, timeZone: 'america/new_york', postsPerPage: '20' as unknown as number });
    expect(changed).toEqual(['timeZone', 'postsPerPage']);
    const [row] = await getDb().select().from(siteSettings);
    expect(row).toMatchObject({ timeZone: 'America/New_York', postsPerPage: 20 });
    const entries = await getDb().select({ detail: auditLog.detail }).from(auditLog).where(eq(auditLog.action, 'settings.update')).orderBy(auditLog.id);
    expect(entries.at(-1)?.detail).toEqual({ changed: ['timeZone', 'postsPerPage'] });
    expect(await updateSiteSettings({ ...valid, timeZone: 'UTC' })).toEqual({ changed: ['timeZone', 'postsPerPage'] });
  });

  it('refuses a bad time zone or page size and changes nothing', async () => {
    actAs(await makeUser('admin'));
    await updateSiteSettings(valid);
    for (const bad of [
      { timeZone: 'Mars/Olympus_Mons' },
      { timeZone: '+01:00' },
      { timeZone: '' },
      { postsPerPage: 0 },
      { postsPerPage: 51 },
      { postsPerPage: 2.5 },
      { title: '   ' },
      { title: 'Nul\u0000' },
      { description: 'x'.repeat(301) },
    ]) {
      await expect(updateSiteSettings({ ...valid, ...bad })).rejects.toBeInstanceOf(ValidationError);
    }
    const [row] = await getDb().select().from(siteSettings);
    expect(row).toMatchObject(valid);
    expect(await auditActions()).toEqual(['settings.update']);
  });

  it('only admins may change them', async () => {
    actAs(await makeUser('editor'));
    await expect(updateSiteSettings(valid)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getDb().select().from(siteSettings)).toHaveLength(0);
  });
});

describe('audit log', () => {
  it('is for admins only, newest first, filtered and paged', async () => {
    const admin = await makeUser('admin', { name: 'Alice Admin' });
    const editor = await makeUser('editor');
    const db = getDb();
    await db.insert(auditLog).values(
      Array.from({ length: 60 }, (_, i) => ({
        actorId: i % 2 ? admin.id : editor.id,
        action: i % 3 ? 'post.publish' : 'signin.success',
        ip: '203.0.113.9',
      })),
    );
    await db.insert(auditLog).values({ actorId: admin.id, action: 'user.role', targetType: 'user', targetId: editor.id });

    for (const who of [editor, await makeUser('author'), null]) {
      actAs(who);
      await expect(listAudit()).rejects.toBeInstanceOf(who ? ForbiddenError : AuthError);
    }

    actAs(admin);
    const first = await listAudit();
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]).toMatchObject({ action: 'user.role', actor: { id: admin.id, name: 'Alice Admin' }, targetLabel: expect.any(String) });
    expect(first.entries.map((e) => e.id)).toEqual([...first.entries.map((e) => e.id)].sort((x, y) => y - x));
    expect(first.nextBefore).toBe(first.entries.at(-1)!.id);
    const second = await listAudit({ before: first.nextBefore! });
    expect(second.entries).toHaveLength(11);
    expect(second.nextBefore).toBeNull();

    const signins = await listAudit({ action: 'signin.' });
    expect(signins.entries).toHaveLength(20);
    expect(signins.entries.every((e) => e.action.startsWith('signin.'))).toBe(true);
    const byEditor = await listAudit({ actorId: editor.id, action: 'post.' });
    expect(byEditor.entries.every((e) => e.actor?.id === editor.id && e.action === 'post.publish')).toBe(true);
    expect(byEditor.entries).toHaveLength(20);
    // A malformed filter is no filter, never an error or an injection.
    expect((await listAudit({ action: "x%' or 1=1 --" })).entries).toHaveLength(50);
  });
});

describe('tags', () => {
  it('editors rename and delete tags; the public paths come back', async () => {
    const editor = await makeUser('editor');
    const tag = await createTag('Old Name');
    await createTag('Taken');
    await createPost({ tags: ['Old Name'] });
    actAs(editor);
    expect(await listTagsWithCounts()).toEqual([
      { id: tag.id, name: 'Old Name', slug: 'old-name', description: '', posts: 1 },
      expect.objectContaining({ name: 'Taken', posts: 0 }),
    ]);

    await expect(updateTag({ id: tag.id, name: 'X', slug: 'taken', description: '' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The slug "taken" is already used by another tag.',
      field: 'slug',
    });
    await expect(updateTag({ id: tag.id, name: 'X', slug: 'Not A Slug', description: '' })).rejects.toBeInstanceOf(ValidationError);

    const change = await updateTag({ id: tag.id, name: 'New Name', slug: 'new-name', description: 'About it.' });
    expect(change.publicPaths).toEqual(['/tags/old-name', '/tags/new-name']);
    const [row] = await getDb().select().from(tags).where(eq(tags.id, tag.id));
    expect(row).toMatchObject({ name: 'New Name', slug: 'new-name', description: 'About it.' });

    expect(await deleteTag({ id: tag.id })).toEqual({ publicPaths: ['/tags/new-name'] });
    expect(await getDb().select().from(tags).where(eq(tags.id, tag.id))).toHaveLength(0);
    await expect(deleteTag({ id: tag.id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await auditActions()).toEqual(['tag.update', 'tag.delete']);
  });

  it('authors and contributors may not', async () => {
    const tag = await createTag('Keep');
    for (const role of ['author', 'contributor'] as const) {
      actAs(await makeUser(role));
      await expect(listTagsWithCounts()).rejects.toBeInstanceOf(ForbiddenError);
      await expect(updateTag({ id: tag.id, name: 'Gone', slug: 'gone', description: '' })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(deleteTag({ id: tag.id })).rejects.toBeInstanceOf(ForbiddenError);
    }
    const rows = await getDb().select().from(tags).where(eq(tags.id, tag.id));
    expect(rows[0]).toMatchObject({ name: 'Keep', slug: 'keep' });
    expect(await auditActions()).toEqual([]);
  });
});
