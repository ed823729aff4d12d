'use client';

import { useState } from 'react';
import { parseMediaUrl } from '@/lib/media/urls';
import { MediaPicker } from './media-picker';
import { thumbnailFor } from './media-thumb';
import { uploadImage, type UploadedMedia } from './media-upload';

type Props = {
  postId: string;
  heroImage: string;
  heroImageAlt: string;
  onUploaded: (media: UploadedMedia) => void;
};

/** "Upload image" beside the hero URL, and a thumbnail when the hero is one of our own images. */
export function MediaHeroUpload({ postId, heroImage, heroImageAlt, onUploaded }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ours = parseMediaUrl(heroImage);
  const thumb = ours ? thumbnailFor(ours) : null;

  const upload = async ([file]: File[]) => {
    setBusy(true);
    setError(null);
    const result = await uploadImage(file, { postId, alt: heroImageAlt });
    setBusy(false);
    if (result.ok) onUploaded(result.media);
    else setError(result.error);
  };

  return (
    <div className="media-hero">
      <div className="media-hero-row">
        <MediaPicker label="Upload image" onFiles={(files) => void upload(files)} busy={busy} />
        {busy ? (
          <span className="hint" role="status">
            Uploading…
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="action-error" role="alert">
          {error}
        </p>
      ) : null}
      {thumb ? (
        // eslint-disable-next-line @next/next/no-img-element -- our own variant, already sized
        <img className="media-hero-thumb" src={thumb.src} width={thumb.width} height={thumb.height} alt="" data-testid="hero-thumbnail" />
      ) : null}
    </div>
  );
}
