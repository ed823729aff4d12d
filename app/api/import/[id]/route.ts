import { AuthError, ForbiddenError, ValidationError, publicMessage } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { prepareStagedImport } from '@/lib/import/mutations';
import { ImportFormatError } from '@/lib/import/types';
import { sameOrigin } from '@/lib/media/upload-request';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
const refuse = (status: number, error: string) => Response.json({ ok: false, error }, { status, headers });

/**
 * Runs a staged export (dry run or import; JSON body `{dryRun, media, siteUrl}`). A refusal is a
 * 4xx; once it runs, progress streams as JSON lines ending with `{"report": …}` or `{"error": …}`
 * (application/x-ndjson, which our server passes through unbuffered).
 */
export async function POST(request: Request, { params }: Params): Promise<Response> {
  if (!sameOrigin(request, env().SITE_URL)) return refuse(403, 'Imports are only accepted from this site.');
  const { id } = await params;
  const options = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  let prepared: Awaited<ReturnType<typeof prepareStagedImport>>;
  try {
    prepared = await prepareStagedImport({ ...options, id });
  } catch (error) {
    if (error instanceof AuthError) return refuse(401, error.message);
    if (error instanceof ForbiddenError) return refuse(403, error.message);
    if (error instanceof ValidationError) return refuse(400, error.message);
    return refuse(500, publicMessage(error));
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        send({ report: await prepared.run((progress) => send({ progress })) });
      } catch (error) {
        send({ error: error instanceof ImportFormatError ? `Nothing was imported: ${error.message}` : publicMessage(error) });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { ...headers, 'Content-Type': 'application/x-ndjson; charset=utf-8' } });
}
