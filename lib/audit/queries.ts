import 'server-only';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { auditLog, posts, tags, users } from '@/db/schema';
import { requireCapability } from '@/lib/users/admin-queries';
import { parseInput } from '@/lib/users/schemas';

export const AUDIT_PAGE_SIZE = 50;

/** Filters from the query string: anything malformed is simply no filter. */
export const auditFilterSchema = z.object({
  action: z
    .string()
    .regex(/^[a-z]+(\.[a-z_]*)?$/)
    .max(40)
    .optional()
    .catch(undefined),
  actorId: z.uuid().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

export type AuditEntryView = {
  id: number;
  at: Date;
  actor: { id: string; name: string } | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** A readable name for the target when it still exists: the user's name, the post's or page's title, the tag's name. */
  targetLabel: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
};

const actor = alias(users, 'actor');
const targetUser = alias(users, 'target_user');

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The audit log, newest first, 50 at a time (cursor: the last id seen), for admins only. */
export async function listAudit(filter: AuditFilter = {}): Promise<{ entries: AuditEntryView[]; nextBefore: number | null }> {
  await requireCapability('viewAudit');
  const { action, actorId, before } = parseInput(auditFilterSchema, filter);
  const rows = await getDb()
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorId: auditLog.actorId,
      actorName: actor.name,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      targetLabel: sql<string | null>`coalesce(${targetUser.name}, ${posts.title}, ${tags.name})`,
      detail: auditLog.detail,
      ip: auditLog.ip,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .leftJoin(targetUser, sql`${auditLog.targetType} = 'user' and ${targetUser.id}::text = ${auditLog.targetId}`)
    .leftJoin(posts, sql`${auditLog.targetType} in ('post', 'page') and ${posts.id}::text = ${auditLog.targetId}`)
    .leftJoin(tags, sql`${auditLog.targetType} = 'tag' and ${tags.id}::text = ${auditLog.targetId}`)
    .where(
      and(
        action ? sql`${auditLog.action} like ${likePrefix(action)}` : undefined,
        actorId ? eq(auditLog.actorId, actorId) : undefined,
        before ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  const entries = rows.slice(0, AUDIT_PAGE_SIZE).map(({ actorId: id, actorName, ...row }) => ({
    ...row,
    actor: id ? { id, name: actorName ?? 'Deleted user' } : null,
  }));
  return { entries, nextBefore: rows.length > AUDIT_PAGE_SIZE ? entries.at(-1)!.id : null };
}

/** The kinds of action the filter form offers; any other prefix still works from the query string. */
export const AUDIT_PREFIXES = ['post.', 'page.', 'preview.', 'signin.', 'user.', 'settings.', 'tag.', 'navigation.', 'redirect.'] as const;

/** The people the actor filter offers: accounts that have done something on record. */
export async function listAuditActors(): Promise<{ id: string; name: string }[]> {
  await requireCapability('viewAudit');
  return getDb()
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(sql`exists (select 1 from ${auditLog} where ${auditLog.actorId} = ${users.id})`)
    .orderBy(asc(users.name));
}
