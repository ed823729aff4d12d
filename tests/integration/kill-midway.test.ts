/**
 * Issue 5, "a server killed in the middle of an import or a publish leaves the database as it was
 * before or after, never in between, and starts again cleanly".
 *
 * The real CLI (`content:import`, run exactly as package.json runs it) and a child process calling
 * the real `publishPost` are SIGKILLed at several points: while starting, while rendering, as the
 * transaction opens, in the middle of it, after its last row, and (for publish) while PostgreSQL
 * shows its transaction open. After every kill the database must hold all of the batch or none of
 * it (per post, for publish: fully published or untouched), the killed process's connection must be
 * gone, and a second run must finish the job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog, postRevisions, postTags, posts, tags } from '@/db/schema';
import { RENDERER_VERSION } from '@/lib/markdown';
import { renderedColumns } from '@/lib/posts/render';
import { resetDatabase } from '../support/db';
import { counts, removeTempDirs, tempContentDir } from '../support/content';
import { insertCast, insertPost, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const root = fileURLToPath(new URL('../..', import.meta.url));
const publishChild = fileURLToPath(new URL('../fixtures/hostile/publish-child.ts', import.meta.url));

// ---------------------------------------------------------------------------------------------
// A child process we can watch line by line and kill.
// ---------------------------------------------------------------------------------------------

type Child = {
  process: ChildProcess;
  lines: string[];
  stderr: string[];
  startedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when `test(lines)` holds (checked on every new line); rejects if the child exits first. */
  waitFor: (test: (lines: string[]) => boolean, what: string) => Promise<void>;
  kill: () => Promise<void>;
};

function urlFor(applicationName: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

function run(script: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const watchers = new Set<() => void>();
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const watcher of watchers) watcher();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (buffered) lines.push(buffered);
      resolve({ code, signal });
      for (const watcher of watchers) watcher();
    }),
  );
  const result: Child = {
    process: child,
    lines,
    stderr,
    startedAt: performance.now(),
    exited,
    waitFor: (test, what) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (test(lines)) {
            watchers.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            watchers.delete(check);
            reject(new Error(`child exited before ${what}:\n${lines.join('\n')}\n${stderr.join('')}`));
          }
        };
        watchers.add(check);
        check();
      }),
    kill: async () => {
      child.kill('SIGKILL');
      const { signal } = await exited;
      expect(signal, `the child was still running when killed:\n${lines.join('\n')}\n${stderr.join('')}`).toBe('SIGKILL');
    },
  };
  return result;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Backends opened by the child (tagged through application_name); `inTransaction`: only those inside
 * an explicit transaction (idle in it, or running a statement that began after BEGIN), not a lone query.
 */
async function backends(applicationName: string, inTransaction = false): Promise<number> {
  const result = await getDb().execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
     where application_name = ${applicationName}
       and (${!inTransaction} or state like 'idle in transaction%' or query_start > xact_start)`);
  return result.rows[0].n;
}

async function until(what: string, test: () => Promise<boolean>, timeoutMs = 20_000, everyMs = 10): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await test())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** After a kill: PostgreSQL notices the closed socket, rolls back and ends the backend; no lock is left behind. */
async function expectConnectionGone(applicationName: string): Promise<void> {
  await until(`the killed child's connection to close`, async () => (await backends(applicationName)) === 0);
  const locks = await getDb().execute<{ n: number }>(sql`
    select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid)
     where a.application_name = ${applicationName}`);
  expect(locks.rows[0].n).toBe(0);
}

// ---------------------------------------------------------------------------------------------
// content:import
// ---------------------------------------------------------------------------------------------

const FILES = 300;
const AUTHORS = 5;
const TAG_POOL = 20;

/** A small valid document (the count, not the size, is what stretches the transaction); `edition` changes every body. */
function document(index: number, edition = 1): string {
  const n = String(index).padStart(3, '0');
  const tagNames = [`Kill Topic ${index % TAG_POOL}`, `Kill Topic ${(index + 7) % TAG_POOL}`, 'Kill Common'];
  const day = new Date(Date.UTC(2024, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
  const paragraph = (p: number) =>
    `Paragraph ${p} of post ${n}, edition ${edition}: words about imports, transactions and ` +
    `**what survives a crash**, with [a link](https://example.com/${n}/${p}) and \`code\`.`;
  return [
    '---',
    `title: "Kill test ${n}: an article that must arrive whole"`,
    `slug: "kill-test-${n}"`,
    `subtitle: "Subtitle ${n}"`,
    `author: "Kill Author ${index % AUTHORS}"`,
    `publish_date: "${day}"`,
    `tags: [${tagNames.map((t) => `"${t}"`).join(', ')}]`,
    'status: published',
    '---',
    '',
    `## Part one of ${n}`,
    '',
    paragraph(1),
    '',
    '- a list item\n- another item',
    '',
    `## Part two of ${n}`,
    '',
    paragraph(2),
    '',
  ].join('\n');
}

async function writeBatch(dir: string, edition: number): Promise<void> {
  for (let i = 0; i < FILES; i += 1) {
    await writeFile(path.join(dir, `kill-${String(i).padStart(3, '0')}.md`), document(i, edition));
  }
}

const NONE = { posts: 0, users: 0, tags: 0, postTags: 0, revisions: 0 };
const ALL = { posts: FILES, users: AUTHORS, tags: TAG_POOL + 1, postTags: FILES * 3, revisions: FILES };

/** "none" or "all"; anything in between fails the test with the counts. */
async function importState(): Promise<'none' | 'all'> {
  const now = await counts();
  if (JSON.stringify(now) === JSON.stringify(NONE)) return 'none';
  expect(now, 'the database holds part of the batch').toEqual(ALL);
  return 'all';
}

/** Every post of edition `edition` is there, whole: its text, its html, its tags and one import revision per edition. */
async function expectCompleteImport(edition: number): Promise<void> {
  const rows = await getDb()
    .select({
      id: posts.id,
      slug: posts.slug,
      markdown: posts.markdown,
      html: posts.html,
      version: posts.version,
      rendererVersion: posts.rendererVersion,
      status: posts.status,
    })
    .from(posts)
    .orderBy(asc(posts.slug));
  expect(rows).toHaveLength(FILES);
  const tagCounts = await getDb()
    .select({ postId: postTags.postId, n: sql<number>`count(*)::int` })
    .from(postTags)
    .groupBy(postTags.postId);
  const revisionRows = await getDb()
    .select({ postId: postRevisions.postId, version: postRevisions.version, markdown: postRevisions.markdown, kind: postRevisions.kind })
    .from(postRevisions)
    .orderBy(asc(postRevisions.version));
  for (const [index, row] of rows.entries()) {
    const n = String(index).padStart(3, '0');
    expect(row.slug).toBe(`kill-test-${n}`);
    expect(row.markdown).toContain(`edition ${edition}:`);
    expect(row.markdown).not.toContain(`edition ${edition === 1 ? 2 : 1}:`);
    expect(row.html).toContain(`<h2 id="part-one-of-${n}">`);
    expect(row.html).toContain(`edition ${edition}:`);
    expect(row).toMatchObject({ version: edition, rendererVersion: RENDERER_VERSION, status: 'published' });
    expect(tagCounts.find((t) => t.postId === row.id)?.n).toBe(3);
    const own = revisionRows.filter((r) => r.postId === row.id);
    expect(own.map((r) => [r.version, r.kind])).toEqual(Array.from({ length: edition }, (_, i) => [i + 1, 'import']));
    expect(own.at(-1)!.markdown).toBe(row.markdown);
  }
}

const IMPORT_APP = 'kill-midway-import';
const importCli = (dir: string) => run('scripts/content-import.ts', [dir], { DATABASE_URL: urlFor(IMPORT_APP) });
const progressLines = (lines: string[]) => lines.filter((line) => /^\s+(created|updated|unchanged)\s/.test(line)).length;

type KillPoint = { name: string; wait: (child: Child) => Promise<void> };

describe('content:import killed with SIGKILL', () => {
  let dir: string;
  /** Milliseconds from spawn to the import's first database connection (measured, for the "while rendering" kill). */
  let toFirstConnection = 0;
  const outcomes: string[] = [];

  beforeAll(async () => {
    await resetDatabase();
    dir = await tempContentDir();
    await writeBatch(dir, 1);
  });
  afterAll(async () => {
    console.log(`[kill-midway] import kills: ${outcomes.join('; ')}`);
    await removeTempDirs();
  });

  const killPoints: KillPoint[] = [
    { name: 'while starting (300 ms after spawn)', wait: () => sleep(300) },
    {
      name: 'as its transaction opens (first connection seen)',
      wait: async (child) => {
        await until('the first connection', async () => (await backends(IMPORT_APP)) > 0, 120_000, 5);
        toFirstConnection = performance.now() - child.startedAt;
      },
    },
    // Rendering 300 files comes before the transaction: kill in the middle of it.
    { name: 'while rendering (60% of the time to the first connection)', wait: () => sleep(toFirstConnection * 0.6) },
    { name: 'after the first progress line', wait: (child) => child.waitFor((l) => progressLines(l) >= 1, 'line 1') },
    { name: 'after 150 progress lines', wait: (child) => child.waitFor((l) => progressLines(l) >= 150, 'line 150') },
    { name: 'after the last progress line (commit in flight)', wait: (child) => child.waitFor((l) => progressLines(l) >= FILES, 'the last line') },
  ];

  for (const point of killPoints) {
    it(`killed ${point.name}: all of the batch or none of it`, { timeout: 180_000 }, async () => {
      if ((await importState()) === 'all') await resetDatabase();
      const child = importCli(dir);
      await point.wait(child);
      await child.kill();
      await expectConnectionGone(IMPORT_APP);
      const state = await importState();
      outcomes.push(`${point.name}: ${progressLines(child.lines)} line(s) printed, ${state}`);
      if (state === 'all') await expectCompleteImport(1);
    });
  }

  it('then runs again to completion, and the batch is complete', { timeout: 180_000 }, async () => {
    const rerun = importCli(dir);
    expect(await rerun.exited, rerun.stderr.join('')).toEqual({ code: 0, signal: null });
    expect(rerun.lines.at(-1)).toMatch(new RegExp(`^Imported ${FILES} file\\(s\\) from `));
    expect(await importState()).toBe('all');
    await expectCompleteImport(1);
  });

  it('a re-import of a changed batch killed in the middle leaves every post as it was, then completes', { timeout: 180_000 }, async () => {
    await writeBatch(dir, 2);
    const child = importCli(dir);
    await child.waitFor((l) => progressLines(l) >= 150, 'line 150');
    expect(child.lines.filter((line) => /^\s+updated\s/.test(line)).length).toBeGreaterThanOrEqual(150);
    await child.kill();
    await expectConnectionGone(IMPORT_APP);
    expect(await counts()).toEqual(ALL);
    await expectCompleteImport(1);
    outcomes.push(`re-import killed after ${progressLines(child.lines)} 'updated' lines: every post still edition 1`);

    const rerun = importCli(dir);
    expect(await rerun.exited, rerun.stderr.join('')).toEqual({ code: 0, signal: null });
    expect(await counts()).toEqual({ ...ALL, revisions: FILES * 2 });
    await expectCompleteImport(2);
  });
});

// ---------------------------------------------------------------------------------------------
// publish
// ---------------------------------------------------------------------------------------------

const PUBLISH_APP = 'kill-midway-publish';
const DRAFTS = 40;

describe('publishing killed with SIGKILL', () => {
  let cast: Cast;
  let ids: string[];
  const original = new Map<string, { markdown: string; html: string }>();
  const outcomes: string[] = [];

  beforeAll(async () => {
    await resetDatabase();
    cast = await insertCast();
    ids = [];
    for (let i = 0; i < DRAFTS; i += 1) {
      const markdown = `# Draft ${i}\n\n${'A body long enough to take a moment to render. '.repeat(40)}\n\n## More\n\nText ${i}.\n`;
      const post = await insertPost({ author: cast.A, status: 'draft', title: `Kill draft ${i}`, markdown, tags: ['Alpha'] });
      ids.push(post.id);
      original.set(post.id, { markdown, html: post.html });
    }
  });
  afterAll(() => console.log(`[kill-midway] publish kills: ${outcomes.join('; ')}`));

  const publisher = () => run(publishChild, [], { DATABASE_URL: urlFor(PUBLISH_APP), PUBLISH_AS: cast.E.id, PUBLISH_IDS: ids.join(',') });

  /** Every post is untouched or fully published (what the child sent, rendered, dated, tagged, revised and audited). */
  async function publishState(): Promise<{ published: number; untouched: number }> {
    const rows = await getDb().select().from(posts).where(inArray(posts.id, ids)).orderBy(asc(posts.title));
    expect(rows).toHaveLength(DRAFTS);
    let published = 0;
    for (const row of rows) {
      const before = original.get(row.id)!;
      const revisions = await getDb()
        .select({ version: postRevisions.version, kind: postRevisions.kind, markdown: postRevisions.markdown, actorId: postRevisions.actorId })
        .from(postRevisions)
        .where(eq(postRevisions.postId, row.id))
        .orderBy(asc(postRevisions.version));
      const audits = await getDb()
        .select({ action: auditLog.action, actorId: auditLog.actorId })
        .from(auditLog)
        .where(and(eq(auditLog.targetId, row.id), eq(auditLog.action, 'post.publish')));
      const tagRows = await getDb()
        .select({ name: tags.name })
        .from(postTags)
        .innerJoin(tags, eq(tags.id, postTags.tagId))
        .where(eq(postTags.postId, row.id))
        .orderBy(asc(postTags.position));
      if (row.status === 'draft') {
        expect(row, `${row.title} is a draft: untouched`).toMatchObject({
          version: 1,
          publishAt: null,
          firstPublishedAt: null,
          markdown: before.markdown,
          html: before.html,
        });
        expect(revisions.map((r) => r.version)).toEqual([1]);
        expect(audits).toEqual([]);
        expect(tagRows.map((t) => t.name)).toEqual(['Alpha']);
      } else {
        published += 1;
        const markdown = `${before.markdown}\nPublished body for ${row.id}.\n`;
        expect(row, `${row.title} is published: whole`).toMatchObject({
          status: 'published',
          version: 2,
          markdown,
          html: (await renderedColumns(markdown)).html,
          rendererVersion: RENDERER_VERSION,
        });
        expect(row.publishAt).toBeInstanceOf(Date);
        expect(row.firstPublishedAt).toEqual(row.publishAt);
        expect(revisions).toEqual([expect.objectContaining({ version: 1 }), { version: 2, kind: 'publish', markdown, actorId: cast.E.id }]);
        expect(audits).toEqual([{ action: 'post.publish', actorId: cast.E.id }]);
        expect(tagRows.map((t) => t.name)).toEqual(Array.from({ length: 30 }, (_, i) => `Kill tag ${i}`));
      }
    }
    return { published, untouched: DRAFTS - published };
  }

  beforeEach(async () => {
    // The previous kill must have left every post whole before the next one starts.
    await publishState();
  });

  const publishedLines = (lines: string[]) => lines.filter((line) => line.startsWith('published ')).length;
  let before = 0;

  const killPoints: KillPoint[] = [
    { name: 'as it starts publishing', wait: (child) => child.waitFor((l) => l.some((line) => line.startsWith('ready')), 'ready') },
    { name: 'after its first publish', wait: (child) => child.waitFor((l) => publishedLines(l) >= 1, 'one publish') },
    ...[1, 2, 3].map((round) => ({
      name: `inside an open publish transaction (#${round})`,
      wait: async (child: Child) => {
        await child.waitFor((l) => publishedLines(l) >= 1, 'one publish');
        await until('an open transaction', async () => (await backends(PUBLISH_APP, true)) > 0, 60_000, 1);
      },
    })),
    {
      name: '25 ms after its third publish',
      wait: async (child) => {
        await child.waitFor((l) => publishedLines(l) >= 3, 'three publishes');
        await sleep(25);
      },
    },
  ];

  for (const point of killPoints) {
    it(`killed ${point.name}: every post fully published or untouched`, { timeout: 120_000 }, async () => {
      before = (await publishState()).published;
      const child = publisher();
      await point.wait(child);
      await child.kill();
      await expectConnectionGone(PUBLISH_APP);
      const { published } = await publishState();
      // Whatever the child printed as published is published; at most the one in flight beyond that.
      expect(published - before).toBeGreaterThanOrEqual(publishedLines(child.lines));
      expect(published - before).toBeLessThanOrEqual(publishedLines(child.lines) + 1);
      outcomes.push(`${point.name}: ${publishedLines(child.lines)} printed, ${published - before} committed`);
    });
  }

  it('then a new run publishes the rest, and every post is whole', { timeout: 180_000 }, async () => {
    const child = publisher();
    expect(await child.exited, child.stderr.join('')).toEqual({ code: 0, signal: null });
    expect(child.lines.at(-1)).toBe('done');
    expect(await publishState()).toEqual({ published: DRAFTS, untouched: 0 });
  });
});
