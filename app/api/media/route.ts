import { AuthError, ForbiddenError, NotFoundError, ValidationError, publicMessage } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { FileTooLargeError } from '@/lib/media/images';
import { uploadMedia } from '@/lib/media/mutations';
import { readLimitedBody, sameOrigin, uploadMarkdown } from '@/lib/media/upload-request';

export const dynamic = 'force-dynamic';

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } });
const refuse = (status: number, error: string) => json(status, { ok: false, error });

/** Image upload from the editor (multipart: file, alt?, postId?); the data layer checks who may. */
export async function POST(request: Request): Promise<Response> {
  const { SITE_URL, MEDIA_MAX_BYTES } = env();
  // A cookie-authenticated POST outside server actions: refuse other sites' pages (CSRF).
  if (!sameOrigin(request, SITE_URL)) return refuse(403, 'Uploads are only accepted from this site.');
  const body = await readLimitedBody(request, MEDIA_MAX_BYTES);
  if (body === 'too-large') return refuse(413, new FileTooLargeError(MEDIA_MAX_BYTES).message);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'Content-Type': request.headers.get('content-type') ?? '' } }).formData();
  } catch {
    return refuse(400, 'Send the image as a multipart form with a "file" field.');
  }
  const file = form.get('file');
  const alt = form.get('alt');
  const postId = form.get('postId');
  if (!(file instanceof File)) return refuse(400, 'Choose an image to upload.');
  try {
    const media = await uploadMedia({
      file,
      alt: typeof alt === 'string' ? alt : undefined,
      postId: typeof postId === 'string' && postId !== '' ? postId : null,
    });
    return json(201, { ok: true, media, markdown: uploadMarkdown(media) });
  } catch (error) {
    if (error instanceof AuthError) return refuse(401, error.message);
    if (error instanceof ForbiddenError) return refuse(403, error.message);
    if (error instanceof NotFoundError) return refuse(404, error.message);
    if (error instanceof FileTooLargeError) return refuse(413, error.message);
    if (error instanceof ValidationError) return refuse(400, error.message);
    return refuse(500, publicMessage(error));
  }
}
