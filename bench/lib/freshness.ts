/**
 * How long readers wait to see a change. A post is published, edited and unpublished through the
 * editor's real server actions (on the first server), and the article, home and feed are polled
 * (on the last server: with several instances, that is another process) until the change shows.
 * Then a few posts are scheduled a few seconds ahead, directly in the database as a CLI would, and
 * home and article are polled until each appears. Delays are reported; they never fail the run.
 */
import type pg from 'pg';
import type { ActionClient } from './actions';
import type { Notifier } from './notify';
import type { PostFields } from '../../lib/posts/schemas';

export type Delay = number | null;
export type StepReport = { actionMs: number; article: Delay; home: Delay; feed: Delay };
export type ScheduledReport = { slug: string; publishAt: string; article: Delay; home: Delay };
export type FreshnessReport = {
  via: string;
  notifier: string;
  writeServer: string;
  pollServer: string;
  pollIntervalMs: number;
  timeoutMs: number;
  publish: StepReport | null;
  edit: StepReport | null;
  unpublish: StepReport | null;
  scheduled: ScheduledReport[];
  problems: string[];
};

export type FreshnessContext = {
  actions: ActionClient;
  writeUrl: string;
  pollUrl: string;
  db: pg.ClientBase;
  notifier: Notifier;
  timeoutMs: number;
  token: string;
};

const POLL_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Answer = { status: number; body: string };

/** Polls `path` until `seen` holds; the delay in ms after `since`, or null at the deadline. */
async function pollUntil(baseUrl: string, path: string, seen: (answer: Answer) => boolean, since: number, timeoutMs: number): Promise<Delay> {
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      const answer = { status: response.status, body: await response.text() };
      if (seen(answer)) return Math.max(0, Date.now() - since);
    } catch {
      // A failed poll is just not-yet.
    }
    await sleep(POLL_MS);
  }
  return null;
}

/** The editor's form fields, as the save and publish actions take them. */
type Fields = PostFields;
type EditorPost = { id: string; version: number; slug: string; status: string };
type Result = { ok: true; data: EditorPost } | { ok: false; error: string };

export function fieldsFor(title: string, marker: string): Fields {
  const markdown = `Freshness marker ${marker}.\n\n## What this is\n\nA post the benchmark publishes, edits and unpublishes to time how soon readers see it.\n`;
  return {
    title,
    subtitle: '',
    description: `Probe ${marker}`,
    slug: '',
    heroImage: '',
    heroImageAlt: '',
    cta: '',
    tags: ['Freshness'],
    readTimeOverride: null,
    markdown,
  };
}

async function act(ctx: FreshnessContext, name: string, page: string, input: unknown): Promise<{ post: EditorPost; ms: number }> {
  const answer = await ctx.actions.call<Result>(name, page, [input]);
  const result = answer.result;
  if (!result || !result.ok) throw new Error(`${name} failed: HTTP ${answer.status} ${result && !result.ok ? result.error : '(no action result)'}`);
  return { post: result.data, ms: Math.round(answer.ms) };
}

async function step(
  ctx: FreshnessContext,
  actionMs: number,
  checks: { article: (a: Answer) => boolean; list: (a: Answer) => boolean; slug: string },
): Promise<StepReport> {
  const since = Date.now();
  const [article, home, feed] = await Promise.all([
    pollUntil(ctx.pollUrl, `/posts/${checks.slug}`, checks.article, since, ctx.timeoutMs),
    pollUntil(ctx.pollUrl, '/', checks.list, since, ctx.timeoutMs),
    pollUntil(ctx.pollUrl, '/feed.xml', checks.list, since, ctx.timeoutMs),
  ]);
  return { actionMs, article, home, feed };
}

async function publishEditUnpublish(ctx: FreshnessContext, report: FreshnessReport): Promise<void> {
  const created = await ctx.actions.call('createPostAction', '/editor/posts/new', [null]);
  const id = created.redirect?.split('/').pop();
  if (!id) throw new Error(`createPostAction did not open a new post (HTTP ${created.status})`);
  const page = `/editor/posts/${id}`;
  const title = `Freshness probe ${ctx.token}`;
  const published = await act(ctx, 'publishPostAction', page, { id, baseVersion: 1, fields: fieldsFor(title, ctx.token) });
  const slug = published.post.slug;
  const link = `/posts/${slug}`;
  report.publish = await step(ctx, published.ms, {
    slug,
    article: (a) => a.status === 200 && a.body.includes(ctx.token),
    list: (a) => a.body.includes(link),
  });

  const editedTitle = `${title} edited ${ctx.token.split('').reverse().join('')}`;
  const editMarker = `edit-${ctx.token}`;
  const edited = await act(ctx, 'savePostAction', page, {
    id,
    baseVersion: published.post.version,
    fields: fieldsFor(editedTitle, editMarker),
    autosave: false,
  });
  report.edit = await step(ctx, edited.ms, {
    slug,
    article: (a) => a.status === 200 && a.body.includes(editMarker),
    list: (a) => a.body.includes(editedTitle),
  });

  const unpublished = await act(ctx, 'unpublishPostAction', page, { id });
  report.unpublish = await step(ctx, unpublished.ms, {
    slug,
    article: (a) => a.status === 404,
    list: (a) => a.status === 200 && !a.body.includes(link),
  });
}

/** Posts made public by time alone: written as a CLI would, then announced once. */
async function scheduledPosts(ctx: FreshnessContext, report: FreshnessReport, count: number): Promise<void> {
  const now = Date.now();
  const planned = Array.from({ length: count }, (_, i) => ({
    slug: `scheduled-probe-${ctx.token}-${i + 1}`,
    title: `Scheduled probe ${ctx.token} number ${i + 1}`,
    publishAt: new Date(now + 3_000 + Math.round((i * 3_000) / Math.max(1, count - 1))),
  }));
  // The body of an existing public post: real rendered HTML without rendering anything here.
  for (const post of planned) {
    await ctx.db.query(
      `insert into posts (slug, title, author_id, status, publish_at, markdown, html, toc, word_count, reading_minutes, renderer_version)
       select $1, $2, author_id, 'scheduled', $3, markdown, html, toc, word_count, reading_minutes, renderer_version
         from posts where status = 'published' order by publish_at desc limit 1`,
      [post.slug, post.title, post.publishAt],
    );
  }
  await ctx.notifier.announce({ posts: planned.map((p) => p.slug), lists: true });
  report.scheduled = await Promise.all(
    planned.map(async (post) => {
      const due = post.publishAt.getTime();
      while (Date.now() < due - POLL_MS) await sleep(POLL_MS);
      const [article, home] = await Promise.all([
        pollUntil(ctx.pollUrl, `/posts/${post.slug}`, (a) => a.status === 200, due, ctx.timeoutMs),
        pollUntil(ctx.pollUrl, '/', (a) => a.body.includes(`/posts/${post.slug}"`), due, ctx.timeoutMs),
      ]);
      return { slug: post.slug, publishAt: post.publishAt.toISOString(), article, home };
    }),
  );
}

export async function measureFreshness(ctx: FreshnessContext, scheduledCount = 5): Promise<FreshnessReport> {
  const report: FreshnessReport = {
    via: 'editor server actions over HTTP (publishPostAction, savePostAction, unpublishPostAction); scheduled posts by SQL + notifier',
    notifier: ctx.notifier.via,
    writeServer: ctx.writeUrl,
    pollServer: ctx.pollUrl,
    pollIntervalMs: POLL_MS,
    timeoutMs: ctx.timeoutMs,
    publish: null,
    edit: null,
    unpublish: null,
    scheduled: [],
    problems: [],
  };
  try {
    await publishEditUnpublish(ctx, report);
  } catch (error) {
    report.problems.push(`publish/edit/unpublish: ${(error as Error).message}`);
  }
  try {
    await scheduledPosts(ctx, report, scheduledCount);
  } catch (error) {
    report.problems.push(`scheduled posts: ${(error as Error).message}`);
  }
  return report;
}
