'use client';

import { useId, useRef } from 'react';
import { IMAGE_ACCEPT } from './media-upload';

type Props = {
  label: string;
  onFiles: (files: File[]) => void;
  multiple?: boolean;
  disabled?: boolean;
  busy?: boolean;
  describedBy?: string;
  className?: string;
};

/** A real button that opens the file chooser (a bare file input cannot be styled or labelled well). */
export function MediaPicker({ label, onFiles, multiple = false, disabled = false, busy = false, describedBy, className = 'button-secondary' }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => input.current?.click()}
        disabled={disabled || busy}
        aria-describedby={describedBy}
        aria-controls={id}
      >
        {busy ? 'Uploading…' : label}
      </button>
      <input
        ref={input}
        id={id}
        type="file"
        accept={IMAGE_ACCEPT}
        multiple={multiple}
        hidden
        tabIndex={-1}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Cleared so that choosing the same file again still fires a change.
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
