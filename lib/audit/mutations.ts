import 'server-only';
import { getDb } from '@/db/client';
import { auditLog } from '@/db/schema';

export type AuditEntry = {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
};

type Writer = Pick<ReturnType<typeof getDb>, 'insert'>;

/** Appends to the audit log; pass the transaction so the entry commits with the change it records. */
export async function recordAudit(entry: AuditEntry, db: Writer = getDb()): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    detail: entry.detail ?? {},
    ip: entry.ip ?? null,
  });
}
