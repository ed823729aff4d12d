'use client';

import { useEffect, useRef, useState } from 'react';
import type { EditorPost } from '@/lib/posts/editor-queries';
import { readLocalDraft, removeLocalDraft, sameFields, type LocalDraft } from './draft';
import { createdInThisDocument, type PostSync } from './use-post-sync';

export const AUTOSAVE_DELAY_MS = 2_000;
const OFFLINE_RETRY_MS = 15_000;

/**
 * Saves 2 s after the last change, retries when the browser is back online, saves on Ctrl/Cmd+S,
 * and asks before the tab is closed with changes the server has not confirmed.
 */
export function useAutosave(sync: PostSync) {
  const { edits, conflict, save, isDirty, saveState, setSaveState } = sync;
  // A live (or scheduled) post is not autosaved: readers would see every keystroke. Its edits are
  // kept in this browser until the writer saves or publishes them on purpose.
  const live = sync.post.displayStatus === 'published' || sync.post.displayStatus === 'scheduled';
  const canEdit = sync.post.can.edit && !live;
  const mayEdit = sync.post.can.edit;
  const latest = useRef({ canEdit, mayEdit, conflict, save, isDirty, saveState });
  useEffect(() => {
    latest.current = { canEdit, mayEdit, conflict, save, isDirty, saveState };
  });

  // Typing restarts the timer (the cleanup clears the previous one).
  useEffect(() => {
    if (edits === 0 || conflict || !canEdit) return;
    const timer = window.setTimeout(() => void save(true), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [edits, conflict, canEdit, save]);

  // While offline, try again now and then, and at once when the browser says it is back.
  useEffect(() => {
    if (saveState !== 'offline' || !canEdit) return;
    const timer = window.setInterval(() => void latest.current.save(true), OFFLINE_RETRY_MS);
    return () => window.clearInterval(timer);
  }, [saveState, canEdit]);

  useEffect(() => {
    const online = () => {
      if (latest.current.canEdit && latest.current.isDirty() && !latest.current.conflict) void latest.current.save(true);
    };
    const offline = () => {
      if (latest.current.isDirty() && !latest.current.conflict) setSaveState('offline');
    };
    const keydown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        const { mayEdit: editable, conflict: open, save: run } = latest.current;
        if (editable && !open) void run(false);
      }
    };
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (latest.current.isDirty() || latest.current.saveState === 'saving') {
        event.preventDefault();
        event.returnValue = ''; // older browsers still need it to show the prompt
      }
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    window.addEventListener('keydown', keydown);
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      window.removeEventListener('keydown', keydown);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [setSaveState]);
}

/**
 * A copy left in this browser by an earlier visit (a crash, a lost connection, a closed tab) that
 * differs from what the server has: offered back, never applied on its own.
 */
export function useRecovery(initial: EditorPost, { restoreLocal, isDirty }: Pick<PostSync, 'restoreLocal' | 'isDirty'>) {
  const [recovery, setRecovery] = useState<LocalDraft | null>(null);
  useEffect(() => {
    const draft = readLocalDraft(initial.id);
    if (!draft) return;
    // Storage exists only in the browser, so the offer can only be made after mount.
    if (sameFields(draft.fields, initial.fields)) removeLocalDraft(initial.id);
    else if (createdInThisDocument.has(initial.id)) restoreLocal(draft);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- read after mount on purpose: in render it would differ from the server's HTML
    else setRecovery(draft);
    // Only the copy found on arrival is offered; later copies are this visit's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restoreLocal changes with the post's status; the check is for arrival only
  }, [initial.id, initial.fields]);

  return {
    recovery,
    restore() {
      if (recovery) restoreLocal(recovery);
      setRecovery(null);
    },
    discard() {
      // Once this visit has its own unsaved changes, the stored copy is theirs, not the old one.
      if (!isDirty()) removeLocalDraft(initial.id);
      setRecovery(null);
    },
  };
}
