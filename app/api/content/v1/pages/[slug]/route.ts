import { pageEndpoint } from '@/lib/content-api/endpoints';

// Content API: one public page by slug (lib/content-api); 404 JSON when there is none.
export const dynamic = 'force-dynamic';
export const GET = pageEndpoint.GET;
export const OPTIONS = pageEndpoint.OPTIONS;
