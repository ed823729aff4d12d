import { preflight, withEtag, corsHeaders } from '@/lib/content-api/http';
import { contentApiDocument } from '@/lib/content-api/openapi';
import { env } from '@/lib/env';

// Content API: its OpenAPI 3.1 description (lib/content-api/openapi.ts). Public: it holds no content.
export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  return withEtag(request, contentApiDocument(env().SITE_URL), corsHeaders(request.headers.get('origin')));
}

export const OPTIONS = preflight;
