'use client';

import { useCallback, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { EditorPost } from '@/lib/posts/editor-queries';
import type { PostFields } from '@/lib/posts/schemas';
import { failureFromThrow, offlineFailure, type Failure } from './action-error';
import { usePostActions } from './post-actions';
import { isEditorPost, removeLocalDraft, sameFields, slugFollowsTitle, writeLocalDraft, type LocalDraft } from './draft';

export type SaveState = 'saved' | 'saving' | 'dirty' | 'offline' | 'conflict';
export type WriteInput = { id: string; baseVersion: number; fields: PostFields };
type Result = ActionResult<EditorPost>;

/**
 * Drafts this document created at /editor/posts/new. Publishing one re-renders its page at its own
 * address, which mounts a fresh editor; a copy kept by this document is then its own unsaved text,
 * taken back at once rather than offered as a recovery.
 */
export const createdInThisDocument = new Set<string>();

/**
 * The form's state and its conversation with the server. Every write goes through one queue, so
 * each starts from the version the previous one produced; a write that started from an older
 * version than the server's comes back as a conflict and is never retried blindly.
 *
 * Refs hold the truth for async code (a save reads what is on screen when it starts); state
 * mirrors them for rendering.
 */
export function usePostSync(initial: EditorPost, onCreated?: (post: EditorPost) => void) {
  const { save: savePostAction, create: createDraftAction } = usePostActions();
  const [post, setPost] = useState(initial);
  const [fields, setFields] = useState(initial.fields);
  // An unborn post (empty id) has no slug yet: it follows the title.
  const [slugFollows, setSlugFollows] = useState(() => initial.id === '' || slugFollowsTitle(initial));
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
  // An unborn post (/editor/posts/new) has no id until the first edit creates the draft.
  const idRef = useRef(initial.id);
  const creatingRef = useRef<Promise<string | null> | null>(null);

  /** What is sent: an empty slug while it follows the title, so the server derives it. */
  const outgoing = useCallback((): PostFields => (followsRef.current ? { ...fieldsRef.current, slug: '' } : fieldsRef.current), []);

  const keepLocalCopy = useCallback(() => {
    if (!idRef.current) return; // nothing typed yet has a post to belong to; the create keeps it once it has
    const draft: LocalDraft = { baseVersion: baseVersionRef.current, fields: outgoing(), savedAt: new Date().toISOString() };
    writeLocalDraft(idRef.current, draft);
  }, [outgoing]);

  const setForm = useCallback((next: PostFields, follows: boolean) => {
    fieldsRef.current = next;
    followsRef.current = follows;
    setFields(next);
    setSlugFollows(follows);
  }, []);

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
      removeLocalDraft(idRef.current);
      setSaveState('saved');
    } else {
      keepLocalCopy(); // newer edits, now based on the new version
      setSaveState('dirty');
    }
  }, [keepLocalCopy]);

  /** Runs `task` after every earlier write has finished. */
  const enqueue = useCallback(<T>(task: () => Promise<T>): Promise<T> => {
    const next = queueRef.current.then(task, task);
    queueRef.current = next.catch(() => undefined);
    return next;
  }, []);

  /**
   * The post's id, creating the draft first if it is unborn: the create is the queue's first task,
   * so every save waits for it, and sends whatever was typed meanwhile. A failed create is tried
   * again on the next edit. Null when it failed.
   */
  const ensureCreated = useCallback((): Promise<string | null> => {
    if (idRef.current) return Promise.resolve(idRef.current);
    if (creatingRef.current) return creatingRef.current;
    const create = createDraftAction;
    if (!create) return Promise.resolve(null);
    const creating = enqueue(async (): Promise<string | null> => {
      setSaveState('saving');
      let result: Result;
      try {
        result = navigator.onLine ? await create({ kind: initial.kind }) : offlineFailure;
      } catch {
        result = await failureFromThrow();
      }
      if (!result.ok) {
        creatingRef.current = null;
        setSaveError(result);
        setSaveState(result === offlineFailure ? 'offline' : 'dirty');
        return null;
      }
      const born = result.data;
      idRef.current = born.id;
      createdInThisDocument.add(born.id);
      baseVersionRef.current = born.version;
      // What the writer typed meanwhile wins; the server fills in what the blank form lacked.
      const typed = Object.fromEntries(Object.entries(fieldsRef.current).filter(([, value]) => value !== undefined));
      setForm({ ...born.fields, ...typed } as PostFields, followsRef.current);
      setPost(born);
      setSaveError(null);
      if (sameFields(outgoing(), born.fields)) {
        // Typed and taken back: the new draft already holds what is on screen.
        confirmedRef.current = editsRef.current;
        setSaveState('saved');
      } else {
        keepLocalCopy();
        setSaveState('dirty');
      }
      onCreated?.(born);
      return born.id;
    });
    creatingRef.current = creating;
    return creating;
  }, [createDraftAction, enqueue, initial.kind, keepLocalCopy, onCreated, outgoing, setForm]);

  /** A change by the writer: kept in this browser at once, saved to the server by the autosave timer. */
  const edit = useCallback(
    (patch: Partial<PostFields>, follows: boolean = followsRef.current) => {
      setForm({ ...fieldsRef.current, ...patch }, follows);
      editsRef.current += 1;
      setEdits(editsRef.current);
      keepLocalCopy();
      setSaveState((state) => (state === 'saved' ? 'dirty' : state));
      if (!idRef.current) void ensureCreated();
    },
    [ensureCreated, keepLocalCopy, setForm],
  );

  /**
   * Writes the form (save, or a transition that saves: submit, publish, schedule). Returns the
   * result for the caller to show, or null when nothing was sent.
   */
  const writeFields = useCallback(
    (writer: (input: WriteInput) => Promise<Result>, options: { onlyIfDirty?: boolean; reportOnSaveState?: boolean } = {}) =>
      enqueue(async (): Promise<Result | null> => {
        if (conflictRef.current || !idRef.current) return null;
        const seq = editsRef.current;
        if (options.onlyIfDirty && seq === confirmedRef.current) return null;
        if (!navigator.onLine) {
          setSaveState(seq > confirmedRef.current ? 'offline' : 'saved');
          return offlineFailure;
        }
        setSaveState('saving');
        let result: Result;
        try {
          result = await writer({ id: idRef.current, baseVersion: baseVersionRef.current, fields: outgoing() });
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
    [adopt, enqueue, outgoing, settleClean],
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
    removeLocalDraft(idRef.current);
    setSaveError(null);
    setSaveState('saved');
  }, [setForm]);

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
    ensureCreated,
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
