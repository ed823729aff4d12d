import { postsEndpoint } from '@/lib/content-api/endpoints';

// Content API: public posts, by keyset (lib/content-api). A key on every request; answers from the page cache.
export const dynamic = 'force-dynamic';
export const GET = postsEndpoint.GET;
export const OPTIONS = postsEndpoint.OPTIONS;
