import 'server-only';
import { desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { loginThrottle } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { NotFoundError } from '@/lib/auth/errors';
import { requireCapability } from '@/lib/users/admin-queries';
import { accountUnderAttack, drainedLevel, kindOf, type ThrottleKind } from './throttle-rules';

export type ThrottleState = 'locked' | 'slowing' | 'counting';

export type ThrottleListItem = {
  key: string;
  kind: ThrottleKind;
  /** The email, the address, or both for a pair. */
  subject: string;
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
  state: ThrottleState;
};

const LIST_LIMIT = 500;

function subjectOf(key: string): string {
  return key.slice(key.indexOf(':') + 1).replace('|', ' from ');
}

/** Admins: the throttles still in force or counting (a failure within the last day), locked ones first. */
export async function listThrottles(): Promise<ThrottleListItem[]> {
  await requireCapability('manageUsers');
  const rows = await getDb()
    .select({
      key: loginThrottle.key,
      failures: loginThrottle.failures,
      lastFailureAt: loginThrottle.lastFailureAt,
      lockedUntil: loginThrottle.lockedUntil,
      locked: sql<boolean>`coalesce(${loginThrottle.lockedUntil} > now(), false)`,
      secondsSince: sql<number>`extract(epoch from now() - ${loginThrottle.lastFailureAt})::float8`,
    })
    .from(loginThrottle)
    .where(sql`${loginThrottle.lastFailureAt} > now() - interval '1 day' or ${loginThrottle.lockedUntil} > now()`)
    .orderBy(desc(sql`coalesce(${loginThrottle.lockedUntil} > now(), false)`), desc(loginThrottle.lastFailureAt))
    .limit(LIST_LIMIT);
  const items: ThrottleListItem[] = [];
  for (const row of rows) {
    const kind = kindOf(row.key);
    if (!kind) continue; // a key of an older release: it refuses nothing any more
    const failures = drainedLevel(kind, row.failures, Number(row.secondsSince));
    if (failures === 0 && !row.locked) continue;
    const state: ThrottleState = row.locked ? 'locked' : kind === 'account' && accountUnderAttack(failures) ? 'slowing' : 'counting';
    items.push({
      key: row.key,
      kind,
      subject: subjectOf(row.key),
      failures,
      lastFailureAt: row.lastFailureAt,
      lockedUntil: row.locked ? row.lockedUntil : null,
      state,
    });
  }
  return items;
}

/** Admins: forget one throttle (its count and any wait), in the audit log with who cleared it. */
export async function clearThrottle(key: string): Promise<void> {
  const viewer = await requireCapability('manageUsers');
  await getDb().transaction(async (tx) => {
    const [removed] = await tx
      .delete(loginThrottle)
      .where(eq(loginThrottle.key, key))
      .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
    if (!removed) throw new NotFoundError('That throttle is no longer there.');
    await recordAudit(
      {
        actorId: viewer.id,
        action: 'signin.throttle-clear',
        targetType: 'login_throttle',
        targetId: key,
        detail: { failures: removed.failures, lockedUntil: removed.lockedUntil?.toISOString() ?? null },
      },
      tx,
    );
  });
}
