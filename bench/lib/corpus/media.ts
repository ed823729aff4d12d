/**
 * A handful of images stored the way an upload stores them (a `media` row, the bytes in
 * `media_blobs`), so bodies and heroes point at our own `/media/…` URLs: the pipeline sizes them,
 * the server generates their variants, and nothing needs the internet.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import sharp from 'sharp';
import type { Rng } from '../prng';

export type CorpusImage = { id: string; url: string; alt: string };

const SIZES: readonly [number, number][] = [
  [1600, 900],
  [1200, 800],
  [1600, 1067],
  [1024, 768],
];

/** A smooth two-colour gradient with a little noise: photo-like enough for JPEG sizes to be realistic. */
function pixels(rng: Rng, width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  const [a, b] = [0, 1].map(() => [rng.int(20, 230), rng.int(20, 230), rng.int(20, 230)]);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const t = (x / width + y / height) / 2;
      const offset = (y * width + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        const value = a[c] + (b[c] - a[c]) * t + (rng.next() - 0.5) * 24;
        data[offset + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return data;
}

export async function insertImages(client: pg.ClientBase, rng: Rng, count = SIZES.length): Promise<CorpusImage[]> {
  const images: CorpusImage[] = [];
  for (let i = 0; i < count; i += 1) {
    const [width, height] = SIZES[i % SIZES.length];
    const jpeg = await sharp(pixels(rng, width, height), { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 78, mozjpeg: true })
      .toBuffer();
    const id = rng.uuid();
    const filename = `bench-photo-${i + 1}.jpg`;
    const alt = `Bench photograph ${i + 1}`;
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    // Storage key = id, as lib/media/mutations.ts does for a new upload.
    await client.query('insert into media_blobs (key, content_type, data) values ($1, $2, $3)', [id, 'image/jpeg', jpeg]);
    await client.query(
      `insert into media (id, storage_key, filename, content_type, bytes, width, height, alt, sha256)
       values ($1, $2, $3, 'image/jpeg', $4, $5, $6, $7, $8)`,
      [id, id, filename, jpeg.length, width, height, alt, sha256],
    );
    images.push({ id, url: `/media/${id}/${width}x${height}/${filename}`, alt });
  }
  return images;
}
