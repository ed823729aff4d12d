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
};
type WithState = typeof globalThis & { [GLOBAL]?: State };

function state(): State {
  const holder = globalThis as WithState;
  holder[GLOBAL] ??= { waiting: new Set() };
  return holder[GLOBAL];
}

/** A change was committed on the primary (at `lsn`, if known): read from the primary until it is replayed. */
export function pinToPrimary(lsn = 'pending'): void {
  state().waiting.add(lsn);
}

/** The replica has replayed up to `replayed`: every change at or before it no longer pins. */
export function replayedUpTo(isReplayed: (lsn: string) => boolean): void {
  const { waiting } = state();
  for (const lsn of [...waiting]) if (lsn !== 'pending' && isReplayed(lsn)) waiting.delete(lsn);
}

/** A known position arrived for a change announced here: the placeholder is replaced by it. */
export function resolvePending(lsn: string): void {
  const { waiting } = state();
  waiting.delete('pending');
  waiting.add(lsn);
}

export function pinnedPositions(): string[] {
  return [...state().waiting].filter((lsn) => lsn !== 'pending');
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
