'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { EditorPost } from '@/lib/posts/editor-queries';

type PostAction<T = EditorPost> = (input: unknown) => Promise<ActionResult<T>>;

/**
 * The server actions the post editor calls. The page (app/editor/posts/[id]/page.tsx) passes its
 * own actions.ts in: components never import from app/, and the actions stay beside their route.
 */
export type PostActions = {
  /** Only at /editor/posts/new: makes the draft on the first keystroke (createDraftAction). */
  create?: PostAction;
  save: PostAction;
  submit: PostAction;
  publish: PostAction;
  schedule: PostAction;
  unpublish: PostAction;
  trash: PostAction;
  restore: PostAction;
  delete: PostAction<true>;
  createPreviewLink: PostAction<string>;
  revokePreviewLink: PostAction<null>;
  renderPreview: PostAction<{ html: string; wordCount: number; readingMinutes: number }>;
};

const Context = createContext<PostActions | null>(null);

export function PostActionsProvider({ actions, children }: { actions: PostActions; children: ReactNode }) {
  return <Context.Provider value={actions}>{children}</Context.Provider>;
}

/** The editor's actions; only inside a PostEditor (a programming error otherwise). */
export function usePostActions(): PostActions {
  const actions = useContext(Context);
  if (!actions) throw new Error('usePostActions outside PostActionsProvider');
  return actions;
}
