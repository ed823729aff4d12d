import { describe, expect, it } from 'vitest';
import { postKinds, postStatuses, roles, type PostKind, type PostStatus, type Role } from '@/db/schema';
import { canCreatePost, canOnPost, canSeeAllPosts, canWorkOn, postActions, type PostAction } from '@/lib/posts/policy';
import { canChangeRole, canDisable, canInviteRole, capabilities, hasCapability } from '@/lib/users/policy';

// The expected table, written from the product rules (not from the implementation):
// for each role and ownership, the statuses from which each action is allowed.
const d = 'draft',
  r = 'review',
  s = 'scheduled',
  p = 'published',
  t = 'trash';
type Table = Record<PostAction, PostStatus[]>;
const none: Table = { view: [], preview: [], edit: [], submit: [], publish: [], schedule: [], unpublish: [], trash: [], restore: [], delete: [] };
const fullControl: Table = {
  view: [d, r, s, p, t],
  preview: [d, r, s, p],
  edit: [d, r, s, p],
  submit: [d],
  publish: [d, r, s, p],
  schedule: [d, r, s, p],
  unpublish: [s, p],
  trash: [d, r, s, p],
  restore: [t],
  delete: [t],
};
const contributorOwn = (everPublished: boolean): Table => ({
  ...none,
  view: [d, r, s, p, t],
  preview: [d, r, s, p],
  edit: [d, r],
  submit: [d],
  trash: [d, r],
  // Nothing that was ever public may be brought back or destroyed by a contributor.
  restore: everPublished ? [] : [t],
  delete: everPublished ? [] : [t],
});

// Which roles work on each kind at all (pages, like WordPress's, are the site's: editors and admins).
const kindsTable: Record<PostKind, Role[]> = {
  post: ['contributor', 'author', 'editor', 'admin'],
  page: ['editor', 'admin'],
};

function expected(kind: PostKind, role: Role, isOwn: boolean, everPublished: boolean): Table {
  if (!kindsTable[kind].includes(role)) return none;
  if (role === 'editor' || role === 'admin') return fullControl;
  if (!isOwn) return none;
  return role === 'author' ? fullControl : contributorOwn(everPublished);
}

describe('post policy: every kind × role × action × status × ownership', () => {
  for (const kind of postKinds) {
    for (const role of roles) {
      for (const isOwn of [true, false]) {
        for (const everPublished of [false, true]) {
          it(`${role}, ${isOwn ? 'own' : "someone else's"} ${kind}${everPublished ? ', once published' : ''}`, () => {
            const table = expected(kind, role, isOwn, everPublished);
            for (const action of postActions) {
              for (const status of postStatuses) {
                const allowed = canOnPost(role, action, { kind, status, isOwn, everPublished });
                expect({ action, status, allowed }).toEqual({ action, status, allowed: table[action].includes(status) });
              }
            }
          });
        }
      }
    }
  }

  it('a contributor can never publish, schedule or unpublish, whatever the post', () => {
    for (const status of postStatuses) {
      for (const action of ['publish', 'schedule', 'unpublish'] as const) {
        expect(canOnPost('contributor', action, { kind: 'post', status, isOwn: true, everPublished: false })).toBe(false);
      }
    }
  });

  it('everyone may start a post; only editors and admins see all posts', () => {
    expect(roles.map((role) => canCreatePost(role, 'post'))).toEqual([true, true, true, true]);
    expect(roles.map(canSeeAllPosts)).toEqual([false, false, true, true]);
  });

  it('pages: only editors and admins create, see or touch one, even a page naming an author or contributor as its author', () => {
    expect(roles.map((role) => canCreatePost(role, 'page'))).toEqual([false, false, true, true]);
    expect(roles.map((role) => canWorkOn(role, 'page'))).toEqual([false, false, true, true]);
    for (const role of ['contributor', 'author'] as const) {
      for (const action of postActions) {
        for (const status of postStatuses) {
          expect(canOnPost(role, action, { kind: 'page', status, isOwn: true, everPublished: false }), `${role} ${action} ${status}`).toBe(false);
        }
      }
    }
  });
});

describe('site capabilities', () => {
  const table: Record<Role, string[]> = {
    contributor: [],
    author: [],
    editor: ['manageTags', 'inviteUsers'],
    admin: ['manageTags', 'manageUsers', 'manageSettings', 'viewAudit', 'inviteUsers', 'importContent'],
  };
  for (const role of roles) {
    it(`${role}`, () => {
      for (const capability of capabilities) {
        expect({ capability, allowed: hasCapability(role, capability) }).toEqual({
          capability,
          allowed: table[role].includes(capability),
        });
      }
    });
  }

  it('editors invite contributors and authors only; admins invite anyone; others nobody', () => {
    const invitable = (actor: Role) => roles.filter((invited) => canInviteRole(actor, invited));
    expect(invitable('contributor')).toEqual([]);
    expect(invitable('author')).toEqual([]);
    expect(invitable('editor')).toEqual(['contributor', 'author']);
    expect(invitable('admin')).toEqual([...roles]);
  });

  it('only admins change roles, and the last admin cannot be demoted', () => {
    for (const actor of roles) {
      expect(canChangeRole(actor, { role: 'author' }, 'editor', 2)).toBe(actor === 'admin');
    }
    expect(canChangeRole('admin', { role: 'admin' }, 'editor', 1)).toBe(false);
    expect(canChangeRole('admin', { role: 'admin' }, 'admin', 1)).toBe(true);
    expect(canChangeRole('admin', { role: 'admin' }, 'editor', 2)).toBe(true);
  });

  it('only admins disable people, and the last active admin cannot be disabled', () => {
    for (const actor of roles) {
      expect(canDisable(actor, { role: 'author', disabled: false }, 2)).toBe(actor === 'admin');
    }
    expect(canDisable('admin', { role: 'admin', disabled: false }, 1)).toBe(false);
    expect(canDisable('admin', { role: 'admin', disabled: false }, 2)).toBe(true);
    // Re-enabling a disabled admin is always fine.
    expect(canDisable('admin', { role: 'admin', disabled: true }, 1)).toBe(true);
  });
});
