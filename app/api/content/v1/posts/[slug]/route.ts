import { postEndpoint } from '@/lib/content-api/endpoints';

// Content API: one public post by slug (lib/content-api); 404 JSON when there is none.
export const dynamic = 'force-dynamic';
export const GET = postEndpoint.GET;
export const OPTIONS = postEndpoint.OPTIONS;
