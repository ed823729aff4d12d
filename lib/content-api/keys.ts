import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { count, desc, eq, isNull, and } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { contentApiKeys, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { parseInput } from '@/lib/users/schemas';
import { canManageContentApiKeys } from './policy';
import { contentApiKeyIdSchema, contentApiKeyInputSchema, MAX_CONTENT_API_KEYS, type ContentApiKeyInput } from './schemas';

/**
 * Content API keys (admins, /editor/integrations). A key is `bsk_` and 32 random bytes; only its
 * SHA-256 is stored, so the token is shown once, when it is made, and a database dump holds none.
 */

export const KEY_PATTERN = /^bsk_[A-Za-z0-9_-]{43}$/;
export const hashKey = (token: string) => createHash('sha256').update(token).digest('hex');
/** What the list shows of a key: enough to tell it from the others, never enough to use it. */
const PREFIX_LENGTH = 10;

async function requireKeyAdmin(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!canManageContentApiKeys(viewer.role)) throw new ForbiddenError();
  return viewer;
}

export type ContentApiKeyItem = {
  id: string;
  name: string;
  prefix: string;
  rateLimit: number;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Admins: every key, live ones first, newest first. */
export async function listContentApiKeys(): Promise<ContentApiKeyItem[]> {
  await requireKeyAdmin();
  return getDb()
    .select({
      id: contentApiKeys.id,
      name: contentApiKeys.name,
      prefix: contentApiKeys.prefix,
      rateLimit: contentApiKeys.rateLimit,
      createdAt: contentApiKeys.createdAt,
      createdBy: users.name,
      lastUsedAt: contentApiKeys.lastUsedAt,
      revokedAt: contentApiKeys.revokedAt,
    })
    .from(contentApiKeys)
    .leftJoin(users, eq(users.id, contentApiKeys.createdBy))
    .orderBy(desc(isNull(contentApiKeys.revokedAt)), desc(contentApiKeys.createdAt));
}

/** Admins: a new key. The token is in the answer and nowhere else, ever. */
export async function createContentApiKey(input: ContentApiKeyInput): Promise<{ id: string; name: string; token: string }> {
  const viewer = await requireKeyAdmin();
  const { name, rateLimit } = parseInput(contentApiKeyInputSchema, input);
  const token = `bsk_${randomBytes(32).toString('base64url')}`;
  return getDb().transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(contentApiKeys).where(isNull(contentApiKeys.revokedAt));
    if (n >= MAX_CONTENT_API_KEYS) throw new ValidationError(`At most ${MAX_CONTENT_API_KEYS} live keys: revoke one first.`, 'name');
    const [row] = await tx
      .insert(contentApiKeys)
      .values({ name, rateLimit, tokenHash: hashKey(token), prefix: token.slice(0, PREFIX_LENGTH), createdBy: viewer.id })
      .returning({ id: contentApiKeys.id });
    await recordAudit({ actorId: viewer.id, action: 'content-api-key.create', targetType: 'content_api_key', targetId: row.id, detail: { name, rateLimit } }, tx);
    return { id: row.id, name, token };
  });
}

/** Admins: a key stops working at its next request (401); the row stays for the record. */
export async function revokeContentApiKey(input: { id: string }): Promise<{ name: string }> {
  const viewer = await requireKeyAdmin();
  const { id } = parseInput(contentApiKeyIdSchema, input);
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(contentApiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(contentApiKeys.id, id), isNull(contentApiKeys.revokedAt)))
      .returning({ name: contentApiKeys.name });
    if (!row) throw new NotFoundError('This key does not exist or is already revoked.');
    await recordAudit({ actorId: viewer.id, action: 'content-api-key.revoke', targetType: 'content_api_key', targetId: id, detail: { name: row.name } }, tx);
    return row;
  });
}
