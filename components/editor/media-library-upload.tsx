'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { MediaPicker } from './media-picker';
import { uploadImage } from './media-upload';

/** Upload straight into the library (attached to no post); the list reloads when done. */
export function MediaLibraryUpload() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const upload = async (files: File[]) => {
    setBusy(true);
    setErrors([]);
    setDone(null);
    const results = await Promise.all(files.map((file) => uploadImage(file)));
    setBusy(false);
    const failed = results.flatMap((r) => (r.ok ? [] : [r.error]));
    const uploaded = results.length - failed.length;
    setErrors(failed);
    if (uploaded > 0) {
      setDone(uploaded === 1 ? 'Uploaded 1 image.' : `Uploaded ${uploaded} images.`);
      router.refresh();
    }
  };
  return (
    <div className="media-library-upload">
      <MediaPicker label="Upload images" onFiles={(files) => void upload(files)} multiple busy={busy} describedBy="media-library-upload-hint" />
      <p className="hint" id="media-library-upload-hint" role="status">
        {busy ? 'Uploading…' : (done ?? 'JPEG, PNG, WebP, AVIF or GIF, up to 20 MB each.')}
      </p>
      {errors.length > 0 ? (
        <p className="action-error" role="alert">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
