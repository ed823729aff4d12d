import { tagEndpoint } from '@/lib/content-api/endpoints';

// Content API: one public tag by slug (lib/content-api); 404 JSON when there is none.
export const dynamic = 'force-dynamic';
export const GET = tagEndpoint.GET;
export const OPTIONS = tagEndpoint.OPTIONS;
