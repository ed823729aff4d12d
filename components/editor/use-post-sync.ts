'use client';

import { useCallback, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { EditorPost } from '@/lib/posts/editor-queries';
import type { PostFields } from '@/lib/posts/schemas';
import { failureFromThrow, offlineFailure, type Failure } from './action-error';
import { usePostActions } from './post-actions';
import { isEditorPost, removeLocalDraft, slugFollowsTitle, writeLocalDraft, type LocalDraft } from './draft';

export type SaveState = 'saved' | 'saving' | 'dirty' | 'offline' | 'conflict';
export type WriteInput = { id: string; baseVersion: number; fields: PostFields };
type Result = ActionResult<EditorPost>;

/**
 * The form's state and its conversation with the server. Every write goes through one queue, so
 * each starts from the version the previous one produced; a write that started from an older
 * version than the server's comes back as a conflict and is never retried blindly.
 *
 * Refs hold the truth for async code (a save reads what is on screen when it starts); state
 * mirrors them for rendering.
 */
export function usePostSync(initial: EditorPost) {
  const { save: savePostAction } = usePostActions();
  const id = initial.id;
  const [post, setPost] = useState(initial);
  const [fields, setFields] = useState(initial.fields);
  const [slugFollows, setSlugFollows] = useState(() => slugFollowsTitle(initial));
  const [edits, setEdits] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<Failure | null>(null);
  const [conflict, setConflict] = useState<EditorPost | null>(null);

  const fieldsRef = useRef(initial.fields);
  const followsRef = useRef(slugFollows);
  const editsRef = useRef(0); // local changes made so far
  const confirmedRef = useRef(0); // how many of them the server has stored
  const baseVersionRef = useRef(initial.version); // the version our form is based on
  const conflictRef = useRef<EditorPost | null>(null);
  const queueRef = useRef<Promise<unknown>>(Promise.resolve());

  /** What is sent: an empty slug while it follows the title, so the server derives it. */
  const outgoing = useCallback((): PostFields => (followsRef.current ? { ...fieldsRef.current, slug: '' } : fieldsRef.current), []);

  const keepLocalCopy = useCallback(() => {
    const draft: LocalDraft = { baseVersion: baseVersionRef.current, fields: outgoing(), savedAt: new Date().toISOString() };
    writeLocalDraft(id, draft);
  }, [id, outgoing]);

  const setForm = useCallback((next: PostFields, follows: boolean) => {
    fieldsRef.current = next;
    followsRef.current = follows;
    setFields(next);
    setSlugFollows(follows);
  }, []);

  /** A change by the writer: kept in this browser at once, saved to the server by the autosave timer. */
  const edit = useCallback(
    (patch: Partial<PostFields>, follows: boolean = followsRef.current) => {
      setForm({ ...fieldsRef.current, ...patch }, follows);
      editsRef.current += 1;
      setEdits(editsRef.current);
      keepLocalCopy();
      setSaveState((state) => (state === 'saved' ? 'dirty' : state));
    },
    [keepLocalCopy, setForm],
  );

  /** Take what the server says about the post (status, permissions, slug), leaving the form alone. */
  const adopt = useCallback(
    (next: EditorPost) => {
      setPost(next);
      if (followsRef.current && next.firstPublishedAt) {
        // Published: the URL is fixed now, and only a hand edit changes it.
        setForm({ ...fieldsRef.current, slug: next.slug }, false);
      }
    },
    [setForm],
  );

  const settleClean = useCallback(() => {
    if (confirmedRef.current >= editsRef.current) {
      removeLocalDraft(id);
      setSaveState('saved');
    } else {
      keepLocalCopy(); // newer edits, now based on the new version
      setSaveState('dirty');
    }
  }, [id, keepLocalCopy]);

  /** Runs `task` after every earlier write has finished. */
  const enqueue = useCallback(<T>(task: () => Promise<T>): Promise<T> => {
    const next = queueRef.current.then(task, task);
    queueRef.current = next.catch(() => undefined);
    return next;
  }, []);

  /**
   * Writes the form (save, or a transition that saves: submit, publish, schedule). Returns the
   * result for the caller to show, or null when nothing was sent.
   */
  const writeFields = useCallback(
    (writer: (input: WriteInput) => Promise<Result>, options: { onlyIfDirty?: boolean; reportOnSaveState?: boolean } = {}) =>
      enqueue(async (): Promise<Result | null> => {
        if (conflictRef.current) return null;
        const seq = editsRef.current;
        if (options.onlyIfDirty && seq === confirmedRef.current) return null;
        if (!navigator.onLine) {
          setSaveState(seq > confirmedRef.current ? 'offline' : 'saved');
          return offlineFailure;
        }
        setSaveState('saving');
        let result: Result;
        try {
          result = await writer({ id, baseVersion: baseVersionRef.current, fields: outgoing() });
        } catch {
          result = await failureFromThrow();
          if (!result.signedOut) {
            setSaveState(seq > confirmedRef.current ? 'offline' : 'saved');
            return result;
          }
        }
        if (result.ok) {
          baseVersionRef.current = result.data.version;
          confirmedRef.current = Math.max(confirmedRef.current, seq);
          setSaveError(null);
          adopt(result.data);
          settleClean();
        } else if (isEditorPost(result.conflict)) {
          conflictRef.current = result.conflict;
          setConflict(result.conflict);
          setSaveState('conflict');
        } else {
          if (options.reportOnSaveState || result.signedOut) setSaveError(result);
          setSaveState(editsRef.current > confirmedRef.current ? 'dirty' : 'saved');
        }
        return result;
      }),
    [adopt, enqueue, id, outgoing, settleClean],
  );

  const save = useCallback(
    (autosave: boolean) => writeFields((input) => savePostAction({ ...input, autosave }), { onlyIfDirty: autosave, reportOnSaveState: true }),
    [writeFields, savePostAction],
  );

  /** A status-only change (unpublish, trash, restore): the form is untouched. */
  const transition = useCallback(
    (run: () => Promise<Result>) =>
      enqueue(async (): Promise<Result> => {
        let result: Result;
        try {
          result = await run();
        } catch {
          return failureFromThrow();
        }
        if (result.ok) {
          // Only our own step may move the base: if someone else saved in between, the next save must conflict.
          if (result.data.version === baseVersionRef.current + 1) baseVersionRef.current = result.data.version;
          adopt(result.data);
          if (editsRef.current > confirmedRef.current) keepLocalCopy();
        }
        return result;
      }),
    [adopt, enqueue, keepLocalCopy],
  );

  /** Conflict, option 1: save what is on screen over the newer version, knowingly. */
  const keepMine = useCallback(() => {
    const theirs = conflictRef.current;
    if (!theirs) return Promise.resolve(null);
    baseVersionRef.current = theirs.version;
    conflictRef.current = null;
    setConflict(null);
    adopt(theirs);
    setSaveState('dirty');
    return save(false);
  }, [adopt, save]);

  /** Conflict, option 2: replace the form with the newer version. */
  const takeTheirs = useCallback(() => {
    const theirs = conflictRef.current;
    if (!theirs) return;
    baseVersionRef.current = theirs.version;
    conflictRef.current = null;
    setConflict(null);
    setPost(theirs);
    setForm(theirs.fields, slugFollowsTitle(theirs));
    confirmedRef.current = editsRef.current;
    removeLocalDraft(id);
    setSaveError(null);
    setSaveState('saved');
  }, [id, setForm]);

  /** Puts a copy kept in this browser back in the form, as unsaved changes based on its own version. */
  const restoreLocal = useCallback(
    (draft: LocalDraft) => {
      const follows = draft.fields.slug === '' && !post.firstPublishedAt;
      baseVersionRef.current = draft.baseVersion;
      edit({ ...draft.fields, slug: draft.fields.slug || post.slug }, follows);
    },
    [edit, post.firstPublishedAt, post.slug],
  );

  const isDirty = () => editsRef.current > confirmedRef.current;

  return {
    post,
    fields,
    slugFollows,
    edits,
    saveState,
    saveError,
    conflict,
    edit,
    save,
    writeFields,
    transition,
    keepMine,
    takeTheirs,
    restoreLocal,
    isDirty,
    setSaveState,
  };
}

export type PostSync = ReturnType<typeof usePostSync>;
