import { authorsEndpoint } from '@/lib/content-api/endpoints';

// Content API: public authors, by keyset (lib/content-api). A key on every request; answers from the page cache.
export const dynamic = 'force-dynamic';
export const GET = authorsEndpoint.GET;
export const OPTIONS = authorsEndpoint.OPTIONS;
