/**
 * What every bench script does first: its own fresh database with a generated corpus, a production
 * build that is not older than the sources (built after the corpus, since the build prerenders
 * some pages from the database), and the servers. Everything is undone by cleanup().
 */
import { randomBytes } from 'node:crypto';
import { ensureBuild, type BuildReport } from './build';
import { onCleanup } from './cleanup';
import { generateCorpus, type CorpusSummary } from './corpus/generate';
import { freshBenchDatabase, type BenchDatabase } from './database';
import type { CommonOptions } from './options';
import { startServers, type ServerHandle } from './server';

/** Only for the bench's own throwaway servers; AUTH_SECRET from the environment wins. */
const BENCH_AUTH_SECRET = 'broadsheet-bench-secret-not-for-production-0001';

const BENCH_METRICS_TOKEN = randomBytes(18).toString('base64url');

export type Setup = { db: BenchDatabase; corpus: CorpusSummary; build: BuildReport; servers: ServerHandle[]; env: NodeJS.ProcessEnv };

export function serverEnv(databaseUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: databaseUrl,
    SITE_URL: `http://localhost:${port}`,
    AUTH_SECRET: process.env.AUTH_SECRET || BENCH_AUTH_SECRET,
    // The corpus's images are rows in media_blobs.
    MEDIA_STORAGE: 'postgres',
    // The server's own counts (renders, cache tiers) are read from /metrics by the cold-path rows.
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
  };
}

export async function prepare(suffix: string, options: CommonOptions & { instances: number }): Promise<Setup> {
  const db = await freshBenchDatabase(suffix);
  onCleanup('database', () => db.server.release());
  console.log(`[bench] database ${db.name} on the ${db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL server'} (recreated)`);
  const corpus = await generateCorpus(db.url, { posts: options.posts, bodies: options.bodies, seed: options.seed });
  console.log(`[corpus] ${corpus.posts.toLocaleString('en')} posts (${corpus.publicPosts.toLocaleString('en')} public) in ${(corpus.totalMs / 1000).toFixed(1)} s`);
  const env = serverEnv(db.url, options.port);
  const build = await ensureBuild(options.build, env);
  const servers = await startServers(options.instances, options.port, env);
  for (const server of servers) console.log(`[server] ${server.command} → ${server.baseUrl} (process group ${server.pgid})`);
  return { db, corpus, build, servers, env };
}
