import { mediaResponse } from '@/lib/media/serve';

export const dynamic = 'force-dynamic';

/** Uploaded images and their generated sizes, with their own security and cache headers. */
export async function GET(request: Request): Promise<Response> {
  return mediaResponse(request);
}
