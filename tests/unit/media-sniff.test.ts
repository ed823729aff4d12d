import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImage, type ImageKind } from '@/lib/media/sniff';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url));

async function tiny(kind: ImageKind): Promise<Buffer> {
  const image = sharp({ create: { width: 4, height: 3, channels: 3, background: '#3a7' } });
  return image.toFormat(kind === 'jpeg' ? 'jpeg' : kind).toBuffer();
}

describe('sniffImage', () => {
  it.each(['jpeg', 'png', 'webp', 'avif', 'gif'] as const)('recognises a real %s by its bytes', async (kind) => {
    expect(sniffImage(await tiny(kind))).toBe(kind);
  });

  it('refuses a shell script named .png', () => {
    expect(sniffImage(fixture('script.png'))).toBeNull();
  });

  it('refuses SVG (it can carry scripts)', () => {
    expect(sniffImage(fixture('drawing.svg'))).toBeNull();
  });

  it('refuses a truncated PNG header and an empty file', async () => {
    const png = await tiny('png');
    expect(sniffImage(png.subarray(0, 4))).toBeNull();
    expect(sniffImage(png.subarray(0, 8))).toBeNull(); // signature without its IHDR chunk
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it('refuses other ISO-BMFF images (HEIC) and RIFF files that are not WebP', () => {
    const heic = Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1');
    expect(sniffImage(heic)).toBeNull();
    const wav = Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1');
    expect(sniffImage(wav)).toBeNull();
  });
});
