/**
 * `npm start`: the one command a newcomer runs. Database (DATABASE_URL or the embedded one in
 * .data/), migrations, the sample content on an empty database, a production build when it is
 * missing or stale, then the server (scripts/serve.ts, with the job worker inside) on PORT; with --dev,
 * the same server in development mode (next({ dev: true })). Ctrl-C stops the server and, if no other
 * Broadsheet process still uses it, the embedded database.
 */
import { EnvError, parseEnv } from '../lib/env';
import { buildIsFresh, markBuilt } from './lib/build-state';
import { countPosts, localAuthSecret, prepareDatabase } from './lib/prepare';
import { run } from './lib/run';
import { SERVE_ARGS, SERVER_FILE } from './lib/serve-command';

const dev = process.argv.includes('--dev');
const port = process.env.PORT || '3000';

// Ctrl-C (the terminal signals npm, us and every child in our process group) must end in the
// `finally` below, which stops the embedded database, whichever step it interrupts: run() stops a
// running child; between steps we notice here and go no further.
let stopping = false;
class Stopped extends Error {}
const onSignal = () => {
  stopping = true;
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
function goOn(): void {
  if (stopping) throw new Stopped();
}

let db: Awaited<ReturnType<typeof prepareDatabase>>;
try {
  db = await prepareDatabase();
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  process.exit(1);
}
let exitCode = 1;
try {
  goOn();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: dev ? 'development' : 'production',
    DATABASE_URL: db.url,
    PORT: port,
    SITE_URL: process.env.SITE_URL || `http://localhost:${port}`,
    AUTH_SECRET: process.env.AUTH_SECRET || localAuthSecret(),
  };
  // Fail now, with one line, rather than on the first request.
  parseEnv(childEnv);

  if ((await countPosts(db.url)) === 0) {
    goOn();
    console.log('[start] empty database: importing content/');
    const code = await run(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/content-import.ts', 'content'], { env: childEnv });
    if (code !== 0) throw new Error('importing content/ failed');
  }
  goOn();
  if (dev) {
    // The production server (scripts/serve.ts: responder, CSP, health, logs, the job worker) in
    // development mode around `next dev`'s compiler. Compiled as the build compiles it (the mode is
    // chosen at run time, so the file is the production one for these sources); no page or replay
    // cache unless asked for, so an edited component shows on the next reload.
    const code = await run(process.execPath, ['scripts/build-server.mjs'], { env: childEnv });
    goOn();
    if (code !== 0) throw new Error('compiling scripts/serve.ts failed');
    const devEnv = { ...childEnv };
    for (const name of ['PAGE_CACHE_MEMORY_MB', 'PAGE_CACHE_DISK_MB', 'REPLAY_CACHE_MB']) devEnv[name] ??= '0';
    console.log(`[start] serving ${childEnv.SITE_URL} in development mode (port ${port}); Ctrl-C to stop`);
    exitCode = await run(process.execPath, [SERVER_FILE, '--dev'], { env: devEnv });
  } else {
    if (!buildIsFresh()) {
      console.log('[start] building (the build is missing or older than the sources)');
      const code = await run('npm', ['run', 'build'], { env: childEnv });
      goOn();
      if (code !== 0) throw new Error('the build failed');
      markBuilt();
    }
    goOn();
    console.log(`[start] serving ${childEnv.SITE_URL} (port ${port}); Ctrl-C to stop`);
    exitCode = await run(process.execPath, SERVE_ARGS, { env: childEnv });
  }
} catch (error) {
  if (error instanceof Stopped) exitCode = 0;
  else console.error(error instanceof EnvError ? error.message : `[start] ${(error as Error).message}`);
} finally {
  await db.release();
}
process.exit(exitCode === 130 || exitCode === 143 || stopping ? 0 : exitCode);
