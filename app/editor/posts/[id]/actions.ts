'use server';

import { z } from 'zod';
import { runAction, type ActionResult } from '@/lib/actions';
import { refreshPaths } from '@/lib/cache/revalidate';
import { MAX_BODY } from '@/lib/content/frontmatter';
import { ValidationError } from '@/lib/auth/errors';
import { knownEmbeds } from '@/lib/embeds/queries';
import { MarkdownTooLargeError, renderMarkdown } from '@/lib/markdown';
import { requireViewer } from '@/lib/auth/viewer';
import type { EditorPost } from '@/lib/posts/editor-queries';
import {
  createPreviewLink,
  deletePost,
  publishPost,
  restorePost,
  restoreRevision,
  revokePreviewLink,
  savePost,
  schedulePost,
  submitPost,
  trashPost,
  unpublishPost,
  type Change,
} from '@/lib/posts/mutations';
import { idInputSchema, saveInputSchema, scheduleInputSchema, transitionInputSchema } from '@/lib/posts/schemas';

async function applied(change: Promise<Change>): Promise<EditorPost> {
  const { post, publicPaths } = await change;
  await refreshPaths(publicPaths, { scheduled: post.status === 'scheduled' });
  return post;
}

/** Save (explicit or autosave) the form as a new version; refused with the newer version on conflict. */
export async function savePostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(saveInputSchema, input, (i) => applied(savePost(i)));
}

/** Contributor: save and hand the post to an editor. */
export async function submitPostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(transitionInputSchema, input, (i) => applied(submitPost(i)));
}

/** Publish exactly what is on screen, unsaved edits included. */
export async function publishPostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(transitionInputSchema, input, (i) => applied(publishPost(i)));
}

/** Save and schedule for a future moment (ISO timestamp with offset, entered in the site's time zone). */
export async function schedulePostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(scheduleInputSchema, input, (i) => applied(schedulePost(i)));
}

export async function unpublishPostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(idInputSchema, input, (i) => applied(unpublishPost(i.id)));
}

export async function trashPostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(idInputSchema, input, (i) => applied(trashPost(i.id)));
}

export async function restorePostAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(idInputSchema, input, (i) => applied(restorePost(i.id)));
}

/** Delete a trashed post for ever. */
export async function deletePostAction(input: unknown): Promise<ActionResult<true>> {
  return runAction(idInputSchema, input, async (i) => {
    await refreshPaths((await deletePost(i.id)).publicPaths);
    return true as const;
  });
}

const restoreRevisionSchema = z.object({ id: z.uuid(), revisionId: z.uuid(), baseVersion: z.number().int().min(1) });

/** Bring back an old revision's text as a new version. */
export async function restoreRevisionAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(restoreRevisionSchema, input, (i) => applied(restoreRevision(i)));
}

export async function createPreviewLinkAction(input: unknown): Promise<ActionResult<string>> {
  return runAction(idInputSchema, input, (i) => createPreviewLink(i.id));
}

export async function revokePreviewLinkAction(input: unknown): Promise<ActionResult<null>> {
  return runAction(idInputSchema, input, async (i) => {
    await revokePreviewLink(i.id);
    return null;
  });
}

const previewSchema = z.object({ markdown: z.string().max(MAX_BODY, 'The body is over the 1 MB limit.') });

/** Live preview: the site's own pipeline, for signed-in writers only. */
export async function renderPreviewAction(input: unknown): Promise<ActionResult<{ html: string; wordCount: number; readingMinutes: number }>> {
  return runAction(previewSchema, input, async ({ markdown }) => {
    await requireViewer();
    try {
      // Embeds as the cache knows them (a save resolves new ones): the card readers will see, or its unresolved form.
      const { html, wordCount, readingMinutes } = await renderMarkdown(markdown, { embeds: await knownEmbeds(markdown) });
      return { html, wordCount, readingMinutes };
    } catch (error) {
      if (error instanceof MarkdownTooLargeError) throw new ValidationError(error.message, 'markdown');
      throw error;
    }
  });
}
