import { describe, expect, it } from 'vitest';
import { mediaUrl, parseMediaUrl, responsiveImage, srcSetFor, variantUrl, VARIANT_WIDTHS } from '@/lib/media/urls';

const id = '9b2e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d';
const m = { id, width: 1600, height: 900, filename: 'sunset-over-bay.jpg' };

describe('media URLs', () => {
  it('builds the original and variant URLs', () => {
    expect(mediaUrl(m)).toBe(`/media/${id}/1600x900/sunset-over-bay.jpg`);
    expect(variantUrl(m, 640, 'webp')).toBe(`/media/${id}/1600x900/w640.webp`);
    expect(variantUrl(m, 640, 'avif')).toBe(`/media/${id}/1600x900/w640.avif`);
    expect(variantUrl(m, 640, 'original')).toBe(`/media/${id}/1600x900/w640.jpg`);
  });

  it('round-trips relative and absolute URLs', () => {
    expect(parseMediaUrl(mediaUrl(m))).toEqual(m);
    expect(parseMediaUrl(`https://magazine.example.com${mediaUrl(m)}`)).toEqual(m);
    expect(parseMediaUrl(`http://localhost:3000${mediaUrl(m)}`)).toEqual(m);
  });

  it.each([
    '',
    '/media/',
    `/media/${id}/1600x900`,
    `/media/${id}/1600x900/`,
    `/media/${id}/1600x900/sunset.jpg/extra`,
    `/media/${id.toUpperCase()}/1600x900/sunset.jpg`,
    `/media/not-a-uuid/1600x900/sunset.jpg`,
    `/media/${id}/0x900/sunset.jpg`,
    `/media/${id}/01600x900/sunset.jpg`,
    `/media/${id}/1600x/sunset.jpg`,
    `/media/${id}/-1x900/sunset.jpg`,
    `/media/${id}/1600x900/../secret.jpg`,
    `/media/${id}/1600x900/Sunset.JPG`,
    `/media/${id}/1600x900/sunset`,
    `/media/${id}/1600x900/sunset.jpg?x=1`,
    `/media/${id}/1600x900/sunset.jpg#top`,
    `//evil.test/media/${id}/1600x900/sunset.jpg`,
    `javascript:alert(1)//media/${id}/1600x900/sunset.jpg`,
    `ftp://host/media/${id}/1600x900/sunset.jpg`,
    `https://host/prefix/media/${id}/1600x900/sunset.jpg`,
  ])('rejects %j', (url) => {
    expect(parseMediaUrl(url)).toBeNull();
  });

  it('offers only the listed widths smaller than the original, then the original', () => {
    expect(VARIANT_WIDTHS).toEqual([320, 640, 960, 1280, 1920]);
    expect(srcSetFor(m, 'webp')).toBe(
      [320, 640, 960, 1280]
        .map((w) => `/media/${id}/1600x900/w${w}.webp ${w}w`)
        .concat(`/media/${id}/1600x900/sunset-over-bay.jpg 1600w`)
        .join(', '),
    );
    expect(srcSetFor({ ...m, width: 320, height: 200 }, 'webp')).toBe(`/media/${id}/320x200/sunset-over-bay.jpg 320w`);
  });

  it('gives our hero images real dimensions and a srcset, and leaves remote ones alone', () => {
    const ours = responsiveImage(mediaUrl(m), '100vw', { width: 1200, height: 675 });
    expect(ours).toMatchObject({ width: 1600, height: 900, sizes: '100vw' });
    expect(ours.srcSet).toContain('w640.webp 640w');
    const absolute = responsiveImage(`https://cdn.example.com${mediaUrl(m)}`, '100vw', { width: 1, height: 1 });
    expect(absolute.srcSet?.split(', ').every((c) => c.startsWith('https://cdn.example.com/media/'))).toBe(true);
    expect(responsiveImage('https://images.example.com/a.jpg', '100vw', { width: 1200, height: 675 })).toEqual({
      src: 'https://images.example.com/a.jpg',
      width: 1200,
      height: 675,
    });
  });
});
