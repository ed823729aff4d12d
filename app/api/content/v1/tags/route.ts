import { tagsEndpoint } from '@/lib/content-api/endpoints';

// Content API: public tags, by keyset (lib/content-api). A key on every request; answers from the page cache.
export const dynamic = 'force-dynamic';
export const GET = tagsEndpoint.GET;
export const OPTIONS = tagsEndpoint.OPTIONS;
