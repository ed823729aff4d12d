import { NextRequest, type NextFetchEvent } from 'next/server';
import type { NextRequestWithAuth } from 'next-auth/middleware';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { trashPost } from '@/lib/posts/mutations';
import { proxy } from '@/proxy';
import { insertCast, insertPost, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

/** What proxy.ts answers for a reader URL: passed on to the page, or rewritten to the 404 page. */
async function throughProxy(pathname: string): Promise<'page' | '404'> {
  const request = new NextRequest(new URL(pathname, 'http://localhost:3100')) as NextRequestWithAuth;
  const response = await proxy(request, {} as NextFetchEvent);
  if (response?.headers.get('x-middleware-next') === '1') return 'page';
  expect(response?.status).toBe(404);
  expect(new URL(response!.headers.get('x-middleware-rewrite')!).pathname).toBe('/_broadsheet/not-found');
  return '404';
}

describe('the proxy in front of preview links', () => {
  let cast: Cast;
  beforeEach(async () => {
    await resetDatabase();
    cast = await insertCast();
  });

  it('passes a preview link that leads to a post on to its page, until the post is trashed', async () => {
    const token = 'a'.repeat(43);
    const post = await insertPost({ author: cast.A, status: 'draft', previewToken: token });
    expect(await throughProxy(`/preview/${token}`)).toBe('page');
    expect(await throughProxy(`/preview/${token}/`)).toBe('page');
    signInAs(cast.A);
    await trashPost(post.id);
    expect(await throughProxy(`/preview/${token}`)).toBe('404');
  });

  it('answers a preview link that leads nowhere with the 404 page itself', async () => {
    expect(await throughProxy(`/preview/${'b'.repeat(43)}`)).toBe('404');
    expect(await throughProxy('/preview/%00')).toBe('404');
    expect(await throughProxy('/preview/%E0%A4%A')).toBe('404');
  });

  it('leaves every other reader URL to its page (the page cache answers their 404s and redirects)', async () => {
    expect(await throughProxy('/posts/never-existed')).toBe('page');
    expect(await throughProxy('/tags/never-existed')).toBe('page');
  });
});
