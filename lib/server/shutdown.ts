import type { Server } from 'node:http';
import type pg from 'pg';

/** How long requests in flight may take to finish after SIGTERM before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Stops `server` the way an orchestrator expects on SIGTERM: no new connections from now on (the
 * listening socket closes, so a connect is refused), idle keep-alive connections closed at once,
 * every request in flight allowed to finish (each connection is closed as soon as its response is
 * done), and after `graceMs` whatever is still open is cut. Resolves when no connection is left.
 */
export async function closeGracefully(server: Server, { graceMs = SHUTDOWN_GRACE_MS } = {}): Promise<{ forced: boolean }> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A keep-alive connection becomes idle when its response is done: close it then, not at its timeout.
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  let timer: NodeJS.Timeout | undefined;
  const forced = await Promise.race([
    closed.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    }),
  ]);
  clearInterval(sweep);
  clearTimeout(timer);
  if (forced) {
    server.closeAllConnections();
    await closed;
  }
  return { forced };
}

/**
 * Ends the database pools db/client.ts keeps on globalThis (one per process, shared by every
 * bundle that imports it), so their connections close rather than being dropped by the exit.
 */
export async function closeDatabasePools(): Promise<void> {
  const held = globalThis as typeof globalThis & { __broadsheetDb?: { pool: pg.Pool }; __broadsheetReadDb?: { pool: pg.Pool } };
  await Promise.all([held.__broadsheetDb?.pool, held.__broadsheetReadDb?.pool].map((pool) => pool?.end().catch(() => {})));
}
