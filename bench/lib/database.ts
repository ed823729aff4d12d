/**
 * The benchmark's own database on the configured (DATABASE_URL) or embedded PostgreSQL:
 * `<name>_<suffix>`, dropped and recreated each run, so a run never touches anyone's data and
 * always starts from the same corpus.
 */
import { ensureDatabase, ensureDatabaseExists, type DatabaseHandle } from '../../scripts/lib/database';
import { migrateDatabase } from '../../scripts/lib/migrate';

export type BenchDatabase = { server: DatabaseHandle; name: string; url: string; embedded: boolean };

export async function freshBenchDatabase(suffix: string): Promise<BenchDatabase> {
  const server = await ensureDatabase();
  try {
    const base = new URL(server.url).pathname.slice(1) || 'broadsheet';
    const name = `${base}_${suffix}`;
    await ensureDatabaseExists(server, name, { fresh: true });
    const url = server.urlFor(name);
    await migrateDatabase(url);
    return { server, name, url, embedded: server.embedded };
  } catch (error) {
    await server.release();
    throw error;
  }
}
