import pg from 'pg';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listEditorPosts } from '@/lib/posts/editor-queries';
import { AuthError } from '@/lib/auth/errors';
import { insertCast, insertPost, signInAs, type Cast } from '../support/actors';
import { db, resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const all = { status: 'all' as const, q: '', after: null };

describe('the editor list', () => {
  let cast: Cast;
  beforeEach(async () => {
    await resetDatabase();
    cast = await insertCast();
    const hour = 3_600_000;
    await insertPost({ author: cast.A, status: 'draft', title: 'Draft about otters' });
    await insertPost({ author: cast.A, status: 'review', title: 'Review about badgers' });
    await insertPost({ author: cast.A, status: 'scheduled', title: 'Future piece', publishAt: new Date(Date.now() + hour) });
    await insertPost({ author: cast.A, status: 'scheduled', title: 'Went live by schedule', publishAt: new Date(Date.now() - hour) });
    await insertPost({ author: cast.A2, status: 'published', title: 'Published about otters' });
    await insertPost({ author: cast.A2, status: 'trash', title: 'Binned' });
  });

  it('editors see every post, with counts per status as readers see them (a due schedule is published)', async () => {
    signInAs(cast.E);
    const list = await listEditorPosts(all);
    expect(list.counts).toEqual({ all: 5, draft: 1, review: 1, scheduled: 1, published: 2, trash: 1 });
    expect(list.items.map((i) => i.title)).not.toContain('Binned');
    const live = await listEditorPosts({ ...all, status: 'published' });
    expect(live.items.map((i) => i.title).sort()).toEqual(['Published about otters', 'Went live by schedule']);
    expect(live.items.every((i) => i.displayStatus === 'published')).toBe(true);
    const scheduled = await listEditorPosts({ ...all, status: 'scheduled' });
    expect(scheduled.items.map((i) => i.title)).toEqual(['Future piece']);
    expect((await listEditorPosts({ ...all, status: 'trash' })).items.map((i) => i.title)).toEqual(['Binned']);
  });

  it('authors and contributors see only their own posts, and their own counts', async () => {
    signInAs(cast.A2);
    const list = await listEditorPosts(all);
    expect(list.items.map((i) => i.title)).toEqual(['Published about otters']);
    expect(list.counts).toEqual({ all: 1, draft: 0, review: 0, scheduled: 0, published: 1, trash: 1 });
    signInAs(cast.C);
    expect((await listEditorPosts(all)).items).toEqual([]);
  });

  it('search narrows the list and the counts; newest change first', async () => {
    signInAs(cast.Z);
    const list = await listEditorPosts({ ...all, q: 'otters' });
    expect(list.items.map((i) => i.title).sort()).toEqual(['Draft about otters', 'Published about otters']);
    expect(list.counts.all).toBe(2);
    const times = (await listEditorPosts(all)).items.map((i) => i.updatedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('nobody signed in, or a disabled account, gets nothing', async () => {
    signInAs(null);
    await expect(listEditorPosts(all)).rejects.toBeInstanceOf(AuthError);
    signInAs(cast.D);
    await expect(listEditorPosts(all)).rejects.toBeInstanceOf(AuthError);
  });
});

describe('the tallies kept beside the posts (post_counts)', () => {
  let cast: Cast;
  beforeEach(async () => {
    await resetDatabase();
    cast = await insertCast();
  });

  /** What the triggers kept, against what counting every post says now. */
  async function tallies() {
    const kept = await db().execute<{ author_id: string; status: string; n: number }>(
      sql`select author_id, status::text, n from post_counts where n <> 0 order by 1, 2`,
    );
    const counted = await db().execute<{ author_id: string; status: string; n: number }>(
      sql`select author_id, status::text, count(*)::int as n from posts group by 1, 2 order by 1, 2`,
    );
    return { kept: kept.rows, counted: counted.rows };
  }

  it('follow every kind of write: inserts, status and author changes of many rows at once, deletes', async () => {
    for (let i = 0; i < 4; i += 1) await insertPost({ author: cast.A, status: 'draft' });
    await insertPost({ author: cast.A2, status: 'published' });
    await insertPost({ author: cast.A2, status: 'review' });
    let now = await tallies();
    expect(now.kept).toEqual(now.counted);
    expect(now.kept).toHaveLength(3);

    await db().execute(sql`update posts set status = 'published', publish_at = now() where status = 'draft' and author_id = ${cast.A.id}`);
    await db().execute(sql`update posts set author_id = ${cast.A.id} where status = 'review'`);
    await db().execute(sql`update posts set title = title || ' (edited)'`); // no tally moves
    await db().execute(sql`delete from posts where author_id = ${cast.A2.id}`);
    now = await tallies();
    expect(now.kept).toEqual(now.counted);
    expect(now.kept).toEqual([
      { author_id: cast.A.id, status: 'published', n: 4 },
      { author_id: cast.A.id, status: 'review', n: 1 },
    ]);

    // What the editor's tabs show comes from these tallies.
    signInAs(cast.E);
    expect((await listEditorPosts(all)).counts).toEqual({ all: 5, draft: 0, review: 1, scheduled: 0, published: 4, trash: 0 });
    signInAs(cast.A2);
    expect((await listEditorPosts(all)).counts).toEqual({ all: 0, draft: 0, review: 0, scheduled: 0, published: 0, trash: 0 });
  });

  it('two writers moving posts in opposite directions at once both commit, and the tallies add up', async () => {
    const draft = await insertPost({ author: cast.A, status: 'draft' });
    const live = await insertPost({ author: cast.A, status: 'published' });
    const one = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const two = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await Promise.all([one.connect(), two.connect()]);
    try {
      await one.query('begin');
      await two.query('begin');
      await one.query(`update posts set status = 'published', publish_at = now() where id = $1`, [draft.id]);
      // Waits for the first writer's counters rather than taking them in the other order.
      const second = two.query(`update posts set status = 'draft', publish_at = null where id = $1`, [live.id]);
      // pg sets processID (the server backend's pid) on connect; @types/pg does not declare it.
      const secondPid = (two as pg.Client & { processID: number }).processID;
      await vi.waitFor(
        async () => {
          const { rows } = await db().execute<{ wait: string | null }>(sql`select wait_event_type as wait from pg_stat_activity where pid = ${secondPid}`);
          expect(rows[0]?.wait).toBe('Lock');
        },
        { timeout: 10_000, interval: 10 },
      );
      await one.query('commit');
      await second;
      await two.query('commit');
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
    const now = await tallies();
    expect(now.kept).toEqual(now.counted);
    signInAs(cast.E);
    expect((await listEditorPosts(all)).counts).toMatchObject({ all: 2, draft: 1, published: 1 });
  });
});
