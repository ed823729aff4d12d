/**
 * `npm run bench:newsletter [-- options]`: one post sent by email to 10,000 subscribed members, in a
 * database of its own, to a local SMTP server (smtp-server on 127.0.0.1, started here, accepting
 * everything) with MAIL_RATE=0. Measures the enqueue (the post going live: the `post_live` job's
 * transaction makes the newsletter, one delivery per member and its senders; target < 5 s), the
 * delivery by `npm run worker` in a child process (messages/s, target ≥ 200) and that worker's peak
 * RSS (the kernel's VmHWM; target < 300 MB). Every member must get exactly one message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { cleanup, installSignalHandlers, onCleanup } from './lib/cleanup';
import { freshBenchDatabase } from './lib/database';
import { integer, UsageError } from './lib/options';
import { machine, table, writeResults } from './lib/report';

const TARGET_ENQUEUE_S = 5;
const TARGET_RATE = 200;
const TARGET_RSS_MB = 300;

const HELP = `usage: npm run bench:newsletter [-- options]
  --quick          1,000 members
  --members N      subscribed members (default 10,000)
  --concurrency N  the worker's WORKER_CONCURRENCY (default 4, the default setting)`;

function readOptions() {
  let values;
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: { quick: { type: 'boolean' }, members: { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const quick = values.quick === true;
  return {
    quick,
    members: integer(values, 'members', quick ? 1_000 : 10_000, 1, 1_000_000),
    concurrency: integer(values, 'concurrency', 4, 1, 64),
  };
}

type Sink = { url: string; messages: number; recipients: Map<string, number>; firstAt: number | null; lastAt: number | null };

/** An SMTP server that accepts and counts every message (per recipient), keeping none. */
async function startSink(): Promise<Sink> {
  const sink: Sink = { url: '', messages: 0, recipients: new Map(), firstAt: null, lastAt: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        sink.messages += 1;
        sink.firstAt ??= performance.now();
        sink.lastAt = performance.now();
        for (const to of session.envelope.rcptTo) sink.recipients.set(to.address, (sink.recipients.get(to.address) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup('SMTP server', () => new Promise<void>((resolve) => server.close(() => resolve())));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}

/** `npm run worker` (scripts/worker.ts), as deployed, on the bench database; resolves once it is running. */
function startWorker(databaseUrl: string, smtpUrl: string, concurrency: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/worker.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, MAIL_RATE: '0', WORKER_CONCURRENCY: String(concurrency), LOG_QUERIES: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onCleanup(
    'worker',
    () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
    () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before it was running`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('[worker] running')) resolve(child);
    });
  });
}

/** The process's peak resident set so far (Linux: VmHWM), in MB; null elsewhere. */
function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

installSignalHandlers();
let exitCode = 0;
try {
  const options = readOptions();
  const startedAt = new Date();
  const db = await freshBenchDatabase('newsletter');
  onCleanup('database', () => db.server.release());
  console.log(`[newsletter] database ${db.name}${db.embedded ? ' (embedded)' : ''}`);
  // The layer reads DATABASE_URL once, on first use: the bench database, from here on.
  process.env.DATABASE_URL = db.url;
  const { runPostLive } = await import('@/lib/posts/live');
  const { closeDb } = await import('@/db/client');
  onCleanup('pool', () => closeDb());

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  onCleanup('client', () => client.end());
  await client.query(
    `
    insert into members (email, name, status, source, consent_at)
    select 'reader' || g || '@example.test', 'Reader ' || g, 'subscribed', 'import', now() from generate_series(1, $1::int) g`,
    [options.members],
  );
  const {
    rows: [author],
  } = await client.query<{ id: string }>(
    `insert into users (email, name, slug, role) values ('bench-author@example.test', 'Bench Author', 'bench-author', 'author') returning id`,
  );
  const body = Array.from(
    { length: 12 },
    (_, i) => `<p>Paragraph ${i + 1} of the newsletter, with <a href="/posts/other">a link</a> and <strong>some</strong> text to carry.</p>`,
  ).join('\n');
  const {
    rows: [post],
  } = await client.query<{ id: string }>(
    `insert into posts (slug, kind, title, author_id, status, publish_at, first_published_at, send_email, markdown, html)
     values ('bench-newsletter', 'post', 'The bench newsletter', $1, 'published', now(), now(), true, 'x', $2) returning id`,
    [author.id, body],
  );
  console.log(`[newsletter] ${options.members.toLocaleString('en')} subscribed members, one post`);

  const sink = await startSink();
  const worker = await startWorker(db.url, sink.url, options.concurrency);
  console.log(`[newsletter] worker ${worker.pid} running (${options.concurrency} at a time), SMTP ${sink.url}`);

  // Enqueue: what the post's `post_live` job does when it goes live, in its one transaction.
  let t = performance.now();
  await runPostLive({ postId: post.id });
  const enqueueMs = performance.now() - t;
  const {
    rows: [made],
  } = await client.query<{ deliveries: number; senders: number }>(
    `select (select count(*)::int from newsletter_deliveries) as deliveries,
            (select count(*)::int from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
              where k.identifier = 'newsletter_send') as senders`,
  );
  console.log(`[newsletter] enqueued ${made.deliveries} deliveries and ${made.senders} senders in ${(enqueueMs / 1000).toFixed(2)} s; sending…`);

  t = performance.now();
  let status = 'sending';
  let peak = 0;
  while (status === 'sending') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    peak = Math.max(peak, peakRssMb(worker.pid!) ?? 0);
    status = (await client.query<{ status: string }>(`select status from newsletters where post_id = $1`, [post.id])).rows[0].status;
    if (performance.now() - t > 600_000) throw new Error('the newsletter was not sent within 10 minutes');
    if (worker.exitCode !== null) throw new Error(`the worker died (code ${worker.exitCode})`);
  }
  const deliveryMs = performance.now() - t;
  peak = Math.max(peak, peakRssMb(worker.pid!) ?? 0);
  const smtpMs = sink.firstAt !== null && sink.lastAt !== null ? sink.lastAt - sink.firstAt : deliveryMs;
  const rate = sink.messages / (deliveryMs / 1000);
  const {
    rows: [tally],
  } = await client.query<{ sent: number; failed: number }>(
    `select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status = 'failed')::int as failed from newsletter_deliveries`,
  );
  const duplicates = [...sink.recipients.values()].filter((n) => n > 1).length;
  const exactlyOnce = sink.recipients.size === options.members && duplicates === 0 && sink.messages === options.members;

  const enqueueOk = enqueueMs < TARGET_ENQUEUE_S * 1000;
  const rateOk = rate >= TARGET_RATE;
  const rssOk = peak > 0 && peak < TARGET_RSS_MB;
  console.log(
    `\n${table(
      ['newsletter', 'value', 'target', ''],
      [
        ['members (subscribed)', options.members.toLocaleString('en'), '', ''],
        ['enqueue (newsletter, deliveries, senders)', `${(enqueueMs / 1000).toFixed(2)} s`, `< ${TARGET_ENQUEUE_S} s`, verdict(enqueueOk)],
        ['delivery (enqueued → newsletter sent)', `${(deliveryMs / 1000).toFixed(1)} s`, '', ''],
        ['messages/s (wall)', rate.toFixed(0), `≥ ${TARGET_RATE}`, verdict(rateOk)],
        ['messages/s (first → last at the SMTP server)', (sink.messages / (smtpMs / 1000)).toFixed(0), '', ''],
        ['worker peak RSS (VmHWM)', peak > 0 ? `${peak.toFixed(0)} MB` : 'unknown', `< ${TARGET_RSS_MB} MB`, verdict(rssOk)],
        ['messages received / sent / failed', `${sink.messages} / ${tally.sent} / ${tally.failed}`, '', ''],
        ['each member exactly once', exactlyOnce ? 'yes' : `NO (${sink.recipients.size} recipients, ${duplicates} duplicated)`, 'yes', verdict(exactlyOnce)],
      ],
    )}`,
  );
  const results = {
    kind: 'bench:newsletter',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machine(),
    config: options,
    database: { name: db.name, embedded: db.embedded },
    targets: { enqueueS: TARGET_ENQUEUE_S, messagesPerSecond: TARGET_RATE, peakRssMb: TARGET_RSS_MB },
    enqueueMs: Math.round(enqueueMs),
    deliveryMs: Math.round(deliveryMs),
    messagesPerSecond: rate,
    workerPeakRssMb: peak,
    messages: sink.messages,
    exactlyOnce,
    passed: enqueueOk && rateOk && rssOk && exactlyOnce,
  };
  console.log(`\nResults: ${writeResults('newsletter-', results)}`);
  if (!exactlyOnce) exitCode = 1;
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  console.error(error instanceof UsageError ? `Error: ${error.message}\n\n${HELP}` : `[bench:newsletter] failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
