import { describe, expect, it } from 'vitest';
import { renderMarkdown, RENDERER_VERSION } from '@/lib/markdown';

const id = '9b2e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d';
const src = `/media/${id}/1600x900/sunset.jpg`;
const html = async (markdown: string) => (await renderMarkdown(markdown)).html;

describe('markdown: uploaded images', () => {
  it('sizes our own images from their URL and adds a WebP srcset', async () => {
    const out = await html(`![Sunset](${src})`);
    expect(out).toContain('width="1600"');
    expect(out).toContain('height="900"');
    expect(out).toContain(`srcset="/media/${id}/1600x900/w320.webp 320w, /media/${id}/1600x900/w640.webp 640w,`);
    expect(out).toContain(`${src} 1600w"`);
    expect(out).toContain('sizes="(max-width: 44rem) 100vw, 44rem"');
    expect(out).toContain('alt="Sunset"');
    expect(out).toContain('loading="lazy"');
  });

  it('keeps the host of an absolute media URL in the srcset', async () => {
    const out = await html(`![x](https://magazine.example.com${src})`);
    expect(out).toContain(`srcset="https://magazine.example.com/media/${id}/1600x900/w320.webp 320w`);
  });

  it('leaves remote images as they were', async () => {
    const out = await html('![Remote](https://images.example.com/a.jpg)');
    expect(out).toBe('<p><img src="https://images.example.com/a.jpg" alt="Remote" loading="lazy" decoding="async" referrerpolicy="no-referrer"></p>');
  });

  it('drops srcset and sizes written by the author, on any image', async () => {
    const remote = await html('<img src="https://images.example.com/a.jpg" srcset="javascript:alert(1) 1x, https://evil.test/x.jpg 2x" sizes="1px">');
    expect(remote).not.toContain('srcset');
    expect(remote).not.toContain('sizes');
    expect(remote).not.toContain('evil');
    const ours = await html(`<img src="${src}" srcset="https://evil.test/x.jpg 1w" sizes="1px" width="5" height="5">`);
    expect(ours).not.toContain('evil');
    expect(ours).not.toContain('sizes="1px"');
    expect(ours).toContain('width="1600"');
    expect(ours).toContain('height="900"');
  });

  it('does not touch images whose URL only looks like ours', async () => {
    for (const url of [`/media/${id}/1600x900/sunset.jpg?x=1`, `/media/nope/1600x900/sunset.jpg`, `https://x.test/a/media/${id}/1x1/a.jpg`]) {
      expect(await html(`![a](${url})`)).not.toContain('srcset');
    }
  });

  it('arrived with renderer version 2 (posts rendered before are re-rendered)', () => {
    expect(RENDERER_VERSION).toBeGreaterThanOrEqual(2);
  });
});
