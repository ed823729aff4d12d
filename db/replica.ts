/**
 * Read-your-writes with a read replica (DATABASE_READ_URL). Public reads go to the replica except
 * while a change is known to the primary but not yet replayed on the replica: from the moment a
 * change is announced (by this process or heard from another) until the replica reports it has
 * replayed the change's WAL position, every read goes to the primary. Pages rendered in that
 * window (and cached) therefore show the change; a lagging replica can only make reads slower.
 *
 * The state is per process and lives on globalThis: the server's listener (scripts/serve.ts) and
 * the app's bundles are separate module graphs in one process.
 */
const GLOBAL = Symbol.for('broadsheet.replica');

type State = {
  /** WAL positions announced and not yet seen replayed; 'pending' until the position is known. */
  waiting: Set<string>;
  /** The replica could not be reached: reads stay on the primary until it is back and caught up. */
  unreachable: boolean;
};
type WithState = typeof globalThis & { [GLOBAL]?: State };

function state(): State {
  const holder = globalThis as WithState;
  holder[GLOBAL] ??= { waiting: new Set(), unreachable: false };
  return holder[GLOBAL];
}

/** A change was committed on the primary (at `lsn`, if known): read from the primary until it is replayed. */
export function pinToPrimary(lsn = 'pending'): void {
  state().waiting.add(lsn);
}

/**
 * A query on the replica failed because it cannot be reached: reads go to the primary until the
 * replica answers again and has replayed what the primary had by then (the placeholder is resolved
 * like a change announced here). True the first time per outage, so the caller warns once.
 */
export function replicaUnreachable(): boolean {
  const current = state();
  current.waiting.add('pending');
  if (current.unreachable) return false;
  current.unreachable = true;
  return true;
}

/**
 * The replica has replayed up to `replayed`: every change at or before it no longer pins. True
 * when this ends an outage (replicaUnreachable), so the caller can say the replica is used again.
 */
export function replayedUpTo(isReplayed: (lsn: string) => boolean): boolean {
  const current = state();
  for (const lsn of [...current.waiting]) if (lsn !== 'pending' && isReplayed(lsn)) current.waiting.delete(lsn);
  if (current.waiting.size > 0 || !current.unreachable) return false;
  current.unreachable = false;
  return true;
}

/**
 * A known position arrived for a change announced here: the placeholder is replaced by it. Only
 * the placeholder: adding the primary's latest position on every poll would chase a moving target,
 * and a replica that is always a little behind a busy primary would never be read from again.
 */
export function resolvePending(lsn: string): void {
  const { waiting } = state();
  if (waiting.delete('pending')) waiting.add(lsn);
}

export function readsFromReplica(): boolean {
  return state().waiting.size === 0;
}

/** PostgreSQL LSNs ('16/B374D848') compared as numbers. */
export function lsnAtLeast(replayed: string, wanted: string): boolean {
  const value = (lsn: string) => {
    const [high, low] = lsn.split('/');
    return BigInt(`0x${high}`) * 2n ** 32n + BigInt(`0x${low}`);
  };
  try {
    return value(replayed) >= value(wanted);
  } catch {
    return false;
  }
}
