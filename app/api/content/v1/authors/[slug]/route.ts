import { authorEndpoint } from '@/lib/content-api/endpoints';

// Content API: one public author by slug (lib/content-api); 404 JSON when there is none.
export const dynamic = 'force-dynamic';
export const GET = authorEndpoint.GET;
export const OPTIONS = authorEndpoint.OPTIONS;
