'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/** Remembered in this browser, so the next post opens the way the writer left the last one. */
const STORAGE_KEY = 'broadsheet:editor:view';
/** Below this width the settings panel is a full-screen sheet: it does not reopen by itself there. */
const WIDE = '(min-width: 64rem)';

type Remembered = { settings: boolean; split: boolean };

/**
 * The layout of the editor last shown in this document. A draft made at /editor/posts/new is
 * re-rendered at its own address by its first publish or schedule, which mounts a new editor; it
 * takes the layout over, so the panel the writer was using stays open (at any width).
 */
let current: (Remembered & { postId: string }) | null = null;

function readRemembered(): Remembered {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}');
    const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    return { settings: v.settings === true, split: v.split === true };
  } catch {
    return { settings: false, split: false };
  }
}

function remember(next: Remembered): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Private mode or a full quota: the layout is simply not remembered.
  }
}

/**
 * How the editor is laid out: the settings panel open or not, the split preview, focus mode.
 * Focus mode is entered with its button or Ctrl/⌘+Shift+F and left with the same, or Escape.
 * Escape inside the settings panel closes it and returns the focus to its toggle.
 */
export function useEditorView(postId: string) {
  const [settings, setSettings] = useState(false);
  const [split, setSplit] = useState(false);
  const [focus, setFocus] = useState(false);
  const settingsToggle = useRef<HTMLButtonElement>(null);
  const focusToggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const carried = current && current.postId === postId && postId !== '' ? current : null;
    const remembered = readRemembered();
    const wide = window.matchMedia(WIDE).matches;
    // Storage exists only in the browser: the remembered layout can only be applied after mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- read after mount on purpose: in render it would differ from the server's HTML
    if (carried ? carried.settings : wide && remembered.settings) setSettings(true);
    if (carried ? carried.split : remembered.split) setSplit(true);
    // Only on arrival: later changes of the id (the draft being created) keep the layout as it is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (postId) current = { postId, settings, split };
  }, [postId, settings, split]);

  const openSettings = useCallback((open: boolean) => {
    setSettings(open);
    remember({ ...readRemembered(), settings: open });
    if (!open) settingsToggle.current?.focus();
  }, []);

  const toggleSplit = useCallback(() => {
    setSplit(!split);
    remember({ ...readRemembered(), split: !split });
  }, [split]);

  const toggleFocus = useCallback(() => setFocus((on) => !on), []);

  useEffect(() => {
    const keydown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        setFocus((on) => !on);
      } else if (event.key === 'Escape' && focus && !event.defaultPrevented) {
        setFocus(false);
      }
    };
    window.addEventListener('keydown', keydown);
    return () => window.removeEventListener('keydown', keydown);
  }, [focus]);

  // Leaving focus mode puts the keyboard back on its button, which is on screen again.
  const wasFocus = useRef(false);
  useEffect(() => {
    if (wasFocus.current && !focus && !document.activeElement?.closest('.cm-editor, input, textarea')) focusToggle.current?.focus();
    wasFocus.current = focus;
  }, [focus]);

  return { settings, split, focus, openSettings, toggleSplit, toggleFocus, settingsToggle, focusToggle };
}

export type EditorViewState = ReturnType<typeof useEditorView>;
