/**
 * A writer for the soak test: signed in as their own author account, working on their own post
 * through the editor's real server actions (save, autosave, publish, unpublish) as fast as the
 * server answers. Every answer is recorded, so that afterwards the database can be checked against
 * what the server acknowledged: a write the server accepted must be there.
 */
import type { ActionClient } from './actions';
import { generateBody } from './corpus/body';
import type { Rng } from './prng';
import type { PostFields } from '../../lib/posts/schemas';

/** The editor's form fields, as the save and publish actions take them. */
type Fields = PostFields;
type EditorPost = { id: string; version: number; slug: string; status: string; fields: { markdown: string } };
type Result = { ok: true; data: EditorPost } | { ok: false; error: string; conflict?: EditorPost };

type Step = 'autosave' | 'save' | 'publish' | 'unpublish';
/** A draft is autosaved and saved, published, edited while live, unpublished; round and round. */
const CYCLE: Step[] = ['autosave', 'autosave', 'save', 'publish', 'save', 'save', 'unpublish'];

export type WriterStats = {
  writer: number;
  postId: string;
  writes: number;
  acknowledged: number;
  conflicts: number;
  refused: number;
  http5xx: number;
  networkErrors: number;
  latenciesMs: number[];
  /** The last state the server acknowledged. */
  acked: { version: number; markdown: string };
  /** Markdown of writes whose outcome is unknown (5xx, network error) since the last acknowledgement. */
  inDoubt: string[];
  firstErrors: string[];
};

export type WriterPlan = { writer: number; actions: ActionClient; rng: Rng; deadline: number; tagSlugs: readonly string[] };

function fields(plan: WriterPlan, revision: number): Fields {
  const marker = `Writer ${plan.writer}, revision ${revision}.`;
  return {
    title: `Soak post by writer ${plan.writer}`,
    subtitle: marker,
    description: '',
    slug: '',
    heroImage: '',
    heroImageAlt: '',
    cta: '',
    tags: ['Soak', `Writer ${plan.writer}`],
    readTimeOverride: null,
    markdown: `${marker}\n\n${generateBody(plan.rng, [], plan.tagSlugs)}`,
  };
}

function note(stats: WriterStats, message: string): void {
  if (stats.firstErrors.length < 5) stats.firstErrors.push(message);
}

export async function createWriterPost(actions: ActionClient): Promise<string> {
  const created = await actions.call('createPostAction', '/editor/posts/new', [null]);
  const id = created.redirect?.split('/').pop();
  if (!id) throw new Error(`createPostAction did not open a new post (HTTP ${created.status})`);
  return id;
}

export async function runWriter(plan: WriterPlan, postId: string): Promise<WriterStats> {
  const stats: WriterStats = {
    writer: plan.writer,
    postId,
    writes: 0,
    acknowledged: 0,
    conflicts: 0,
    refused: 0,
    http5xx: 0,
    networkErrors: 0,
    latenciesMs: [],
    acked: { version: 1, markdown: '' },
    inDoubt: [],
    firstErrors: [],
  };
  let current = { version: 1, markdown: '' };
  const page = `/editor/posts/${postId}`;
  for (let i = 0; Date.now() < plan.deadline; i += 1) {
    const step = CYCLE[i % CYCLE.length];
    const next = step === 'unpublish' ? null : fields(plan, i);
    const markdown = next?.markdown ?? current.markdown;
    const [name, input] =
      step === 'unpublish'
        ? ['unpublishPostAction', { id: postId }]
        : step === 'publish'
          ? ['publishPostAction', { id: postId, baseVersion: current.version, fields: next }]
          : ['savePostAction', { id: postId, baseVersion: current.version, fields: next, autosave: step === 'autosave' }];
    stats.writes += 1;
    try {
      const answer = await plan.actions.call<Result>(name as string, page, [input]);
      stats.latenciesMs.push(answer.ms);
      const result = answer.result;
      if (answer.status >= 500) {
        stats.http5xx += 1;
        stats.inDoubt.push(markdown);
        note(stats, `${step}: HTTP ${answer.status}`);
      } else if (result?.ok) {
        stats.acknowledged += 1;
        // The server answers with the post as stored: it must hold the body we sent.
        if (result.data.fields.markdown !== markdown) note(stats, `${step}: acknowledged, but the answer holds another body`);
        current = { version: result.data.version, markdown };
        stats.acked = current;
        stats.inDoubt = [];
      } else if (result?.conflict) {
        // Nobody else writes this post: a conflict means a write we lost track of did land.
        stats.conflicts += 1;
        current = { version: result.conflict.version, markdown: result.conflict.fields.markdown };
        note(stats, `${step}: conflict, the server has version ${result.conflict.version}`);
      } else {
        stats.refused += 1;
        note(stats, `${step}: refused (HTTP ${answer.status}): ${result ? result.error : 'no action result'}`);
      }
    } catch (error) {
      stats.networkErrors += 1;
      stats.inDoubt.push(markdown);
      note(stats, `${step}: ${(error as Error).message}`);
    }
  }
  return stats;
}

export type LostWrite = { writer: number; postId: string; expected: { version: number }; found: { version: number } | null; reason: string };

/** Compares the database with what the server acknowledged last (or a write still in doubt). */
export function checkWriter(stats: WriterStats, row: { version: number; markdown: string } | undefined): LostWrite | null {
  const lost = (reason: string): LostWrite => ({
    writer: stats.writer,
    postId: stats.postId,
    expected: { version: stats.acked.version },
    found: row ? { version: row.version } : null,
    reason,
  });
  if (!row) return lost('the post is gone');
  if (stats.inDoubt.length === 0) {
    if (row.version !== stats.acked.version) return lost(`version ${row.version}, acknowledged ${stats.acked.version}`);
    if (row.markdown !== stats.acked.markdown) return lost('the body differs from the last acknowledged save');
    return null;
  }
  // An unanswered write may or may not have landed; either outcome is honest, older is not.
  if (row.version < stats.acked.version) return lost(`version ${row.version} is older than the acknowledged ${stats.acked.version}`);
  if (row.markdown !== stats.acked.markdown && !stats.inDoubt.includes(row.markdown)) return lost('the body is neither the acknowledged one nor an unanswered one');
  return null;
}
