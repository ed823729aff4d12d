import { describe, expect, it } from 'vitest';
import { createMetrics } from '@/lib/observe/metrics';
import { createWarmer, LIST_PAGES, pagesToWarm, relatedPages } from '@/lib/server/warm';

/** After a change the server reads the pages it made stale from itself, so readers find them rendered. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const article = (tags: string[], authors: string[]) =>
  `<html><body><nav><a href="/">Home</a></nav><article>${tags.map((t) => `<a href="/tags/${t}">${t}</a>`).join('')}${authors
    .map((a) => `<a href="/authors/${a}">${a}</a>`)
    .join('')}<a href="/tags/${tags[0]}">again</a></article></body></html>`;

function fakeSite(pages: Record<string, string>) {
  const fetched: string[] = [];
  const warmer = createWarmer({
    fetchPage: async (path) => {
      fetched.push(path);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return path in pages ? { status: 200, body: pages[path] } : { status: 404, body: 'not found' };
    },
    log: () => {},
  });
  return { warmer, fetched, pages };
}

describe('warming after a change', () => {
  it('finds the tag and author pages an article links to, once each', () => {
    expect(relatedPages(article(['ai', 'go'], ['ada']))).toEqual(['/tags/ai', '/tags/go', '/authors/ada']);
  });

  it('warms only reader pages, and the lists for any change to them', () => {
    expect(pagesToWarm({ posts: ['hello'], lists: true }, ['/posts/hello', '/editor/redirects', '/feed.xml'])).toEqual([
      '/posts/hello',
      '/feed.xml',
      ...LIST_PAGES.filter((path) => path !== '/feed.xml'),
    ]);
    expect(pagesToWarm({ posts: ['about'] }, ['/about'])).toEqual(['/about']);
    expect(pagesToWarm({}, ['/editor/redirects'])).toEqual([]);
  });

  it('says which pages it has queued or is warming, and none once idle', async () => {
    const { warmer } = fakeSite({ '/posts/hello': article(['ai'], ['ada']), '/': 'home' });
    expect(warmer.pending('/')).toBe(false);
    warmer.changed({ posts: ['hello'], lists: true }, ['/posts/hello']);
    expect(warmer.pending('/')).toBe(true);
    expect(warmer.pending('/posts/hello')).toBe(true);
    expect(warmer.pending('/posts/other')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await warmer.idle();
    for (const path of ['/', '/posts/hello', '/feed.xml', '/tags/ai']) expect(warmer.pending(path)).toBe(false);
  });

  it('shows the pages queued and being warmed on /metrics', async () => {
    const { warmer } = fakeSite({ '/posts/hello': article(['ai'], ['ada']), '/': 'home' });
    const metrics = createMetrics({ warm: () => ({ warming: warmer.warming, queued: warmer.queued }) });
    warmer.changed({ posts: ['hello'], lists: true }, ['/posts/hello']);
    expect(await metrics.registry.metrics()).toContain(`broadsheet_warm_pages{state="queued"} ${1 + LIST_PAGES.length}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await warmer.idle();
    const text = await metrics.registry.metrics();
    expect(text).toContain('broadsheet_warm_pages{state="queued"} 0');
    expect(text).toContain('broadsheet_warm_pages{state="warming"} 0');
  });

  it('renders the article, the lists, and the article’s tag and author pages after a publish', async () => {
    const { warmer, fetched } = fakeSite({ '/posts/hello': article(['ai'], ['ada']), '/': 'home', '/feed.xml': 'feed' });
    warmer.changed({ posts: ['hello'], lists: true }, ['/posts/hello', '/', '/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await warmer.idle();
    expect(fetched.slice(0, 2)).toEqual(['/posts/hello', '/']);
    expect(new Set(fetched)).toEqual(new Set(['/posts/hello', ...LIST_PAGES, '/tags/ai', '/authors/ada']));
    // Readers go from the article to its tag and author pages: those come before the feeds.
    expect(fetched.indexOf('/authors/ada')).toBeLessThan(fetched.indexOf('/atom.xml'));
    expect(fetched).toHaveLength(new Set(fetched).size);
  });

  it('after an unpublish, renders again the tag and author pages the article linked to', async () => {
    const { warmer, fetched, pages } = fakeSite({ '/posts/hello': article(['ai'], ['ada']) });
    warmer.changed({ posts: ['hello'], lists: true }, ['/posts/hello']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await warmer.idle();
    delete pages['/posts/hello'];
    fetched.length = 0;
    warmer.changed({ posts: ['hello'], lists: true }, ['/posts/hello']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await warmer.idle();
    expect(fetched).toContain('/tags/ai');
    expect(fetched).toContain('/authors/ada');
  });

  it('waits while readers are being answered, and warms as soon as they are done', async () => {
    const fetched: string[] = [];
    let readers = 3;
    const warmer = createWarmer({ fetchPage: async (path) => (fetched.push(path), { status: 200, body: '' }), busy: () => readers > 0, deferMs: 1_000 });
    warmer.changed({ lists: true }, ['/']);
    await sleep(40);
    expect(fetched).toEqual([]);
    expect(warmer.pending('/')).toBe(true); // a reader of it meanwhile renders it at once (an urgent turn)
    readers = 0;
    await sleep(20);
    expect(fetched[0]).toBe('/');
    await warmer.idle();
    expect(new Set(fetched)).toEqual(new Set(LIST_PAGES));
  });

  it('warms after waiting deferMs even while readers keep coming', async () => {
    const fetched: string[] = [];
    const warmer = createWarmer({ fetchPage: async (path) => (fetched.push(path), { status: 200, body: '' }), busy: () => true, deferMs: 60 });
    const start = Date.now();
    warmer.changed({ lists: true }, ['/']);
    await sleep(20);
    expect(fetched).toEqual([]);
    await warmer.idle();
    expect(new Set(fetched)).toEqual(new Set(LIST_PAGES));
    expect(Date.now() - start).toBeGreaterThanOrEqual(60);
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  it('warms nothing while warming would be wasted', async () => {
    const fetched: string[] = [];
    const warmer = createWarmer({ fetchPage: async (path) => (fetched.push(path), { status: 200, body: '' }), skip: () => true });
    warmer.changed({ lists: true }, ['/']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await warmer.idle();
    expect(fetched).toEqual([]);
  });
});
