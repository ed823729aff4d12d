'use client';

import { useEffect, useRef, type ReactNode } from 'react';

type Props = { id: string; title: string; open: boolean; onClose: () => void; children: ReactNode };

/**
 * Everything about a post but its text, beside the text (a full-screen sheet on a phone). Opening
 * it moves the keyboard to its heading; Escape or Close shuts it and the caller puts the focus back
 * on the toggle. Hidden, not unmounted, when shut: its fields keep their state.
 */
export function SettingsPanel({ id, title, open, onClose, children }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (open && !wasOpen.current) heading.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return (
    <aside
      id={id}
      className="settings-panel"
      aria-labelledby={`${id}-heading`}
      hidden={!open}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="settings-head">
        <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="button-quiet" onClick={onClose}>
          Close<span className="visually-hidden"> settings</span>
        </button>
      </div>
      {children}
    </aside>
  );
}
