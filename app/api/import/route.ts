import { AuthError, ForbiddenError, ValidationError, publicMessage } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { stageImport } from '@/lib/import/mutations';
import { sameOrigin } from '@/lib/media/upload-request';

export const dynamic = 'force-dynamic';

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } });

/** Upload of a WordPress or Ghost export (the raw file as the body, ?from=&name=); the layer checks who may. */
export async function POST(request: Request): Promise<Response> {
  // A cookie-authenticated POST outside server actions: refuse other sites' pages (CSRF).
  if (!sameOrigin(request, env().SITE_URL)) return json(403, { ok: false, error: 'Imports are only accepted from this site.' });
  const url = new URL(request.url);
  try {
    const staged = await stageImport({ from: url.searchParams.get('from'), name: url.searchParams.get('name'), body: request.body });
    return json(201, { ok: true, ...staged });
  } catch (error) {
    if (error instanceof AuthError) return json(401, { ok: false, error: error.message });
    if (error instanceof ForbiddenError) return json(403, { ok: false, error: error.message });
    if (error instanceof ValidationError) return json(400, { ok: false, error: error.message });
    return json(500, { ok: false, error: publicMessage(error) });
  }
}
