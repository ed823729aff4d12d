/**
 * `npm run cluster [-- --instances N]`: N Broadsheet servers on consecutive ports (PORT+1 …) with a
 * round-robin proxy on PORT (default 3000) in front, all on the configured PostgreSQL (or the
 * embedded one) and, when REDIS_URL is set, one Redis. For trying scale-out on one machine: any
 * request can land on any instance, and a change made through one shows on all. Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { EnvError, parseEnv } from '../lib/env';
import { createBalancer } from '../lib/server/balancer';
import { buildIsFresh, markBuilt } from './lib/build-state';
import { countPosts, localAuthSecret, prepareDatabase } from './lib/prepare';
import { run } from './lib/run';
import { SERVE_ARGS } from './lib/serve-command';

const { values } = parseArgs({ options: { instances: { type: 'string', default: '2' } } });
const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1 || instances > 16) {
  console.error('[cluster] --instances must be a whole number from 1 to 16');
  process.exit(2);
}
const port = Number(process.env.PORT || 3000);
const db = await prepareDatabase();
const children: ChildProcess[] = [];
let exitCode = 0;

function stopAll(): void {
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
}

try {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    SITE_URL: process.env.SITE_URL || `http://localhost:${port}`,
    AUTH_SECRET: process.env.AUTH_SECRET || localAuthSecret(),
    // The proxy in front appends the client's address.
    TRUST_PROXY_HOPS: process.env.TRUST_PROXY_HOPS || '1',
  };
  parseEnv(env);
  if (!env.REDIS_URL) console.warn('[cluster] REDIS_URL is not set: each instance caches pages on its own (still correct, less shared)');
  if ((await countPosts(db.url)) === 0) {
    const code = await run(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/content-import.ts', 'content'], { env });
    if (code !== 0) throw new Error('importing content/ failed');
  }
  if (!buildIsFresh()) {
    console.log('[cluster] building');
    if ((await run('npm', ['run', 'build'], { env })) !== 0) throw new Error('the build failed');
    markBuilt();
  }
  const targets = Array.from({ length: instances }, (_, i) => ({ host: '127.0.0.1', port: port + 1 + i }));
  for (const target of targets) {
    const child = spawn(process.execPath, SERVE_ARGS, {
      env: { ...env, PORT: String(target.port), HOSTNAME: target.host },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    children.push(child);
    child.on('exit', (code) => console.log(`[cluster] instance on port ${target.port} exited (${code ?? 'signal'})`));
  }
  process.on('exit', stopAll);
  const balancer = createBalancer(targets);
  balancer.listen(port, () =>
    console.log(`[cluster] ${instances} instance(s) on ports ${targets.map((t) => t.port).join(', ')}; round-robin proxy on ${env.SITE_URL}. Ctrl-C to stop.`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  balancer.close();
} catch (error) {
  console.error(error instanceof EnvError ? error.message : `[cluster] ${(error as Error).message}`);
  exitCode = 1;
} finally {
  stopAll();
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  await db.release();
}
process.exit(exitCode);
