import { pagesEndpoint } from '@/lib/content-api/endpoints';

// Content API: public pages, by keyset (lib/content-api). A key on every request; answers from the page cache.
export const dynamic = 'force-dynamic';
export const GET = pagesEndpoint.GET;
export const OPTIONS = pagesEndpoint.OPTIONS;
