import { z } from 'zod';
import { AuthError, NotFoundError, publicMessage } from '@/lib/auth/errors';
import { getPublicationChoices } from '@/lib/posts/publication-choices';

export const dynamic = 'force-dynamic';

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } });

/** The post form's choices for featuring, the byline and the series (`?post=<id>`); the data layer decides who sees them. */
export async function GET(request: Request): Promise<Response> {
  const post = z.uuid().safeParse(new URL(request.url).searchParams.get('post'));
  if (!post.success) return json(400, { ok: false, error: 'Unknown post.' });
  try {
    return json(200, { ok: true, choices: await getPublicationChoices(post.data) });
  } catch (error) {
    if (error instanceof AuthError) return json(401, { ok: false, error: error.message });
    if (error instanceof NotFoundError) return json(404, { ok: false, error: error.message });
    return json(500, { ok: false, error: publicMessage(error) });
  }
}
