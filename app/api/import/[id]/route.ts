import { AuthError, ForbiddenError, ValidationError, publicMessage } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { runStagedImport } from '@/lib/import/mutations';
import { ImportFormatError } from '@/lib/import/types';
import { sameOrigin } from '@/lib/media/upload-request';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/**
 * Runs a staged export (dry run or import) and streams its progress as JSON lines, ending with
 * `{"report": …}` or `{"error": …}`. application/x-ndjson is not buffered by our server.
 */
export async function POST(request: Request, { params }: Params): Promise<Response> {
  const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (!sameOrigin(request, env().SITE_URL)) return Response.json({ error: 'Imports are only accepted from this site.' }, { status: 403, headers });
  const { id } = await params;
  const options = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const report = await runStagedImport({ ...options, id }, (progress) => send({ progress }));
        send({ report });
      } catch (error) {
        const known = error instanceof AuthError || error instanceof ForbiddenError || error instanceof ValidationError || error instanceof ImportFormatError;
        send({ error: known ? (error as Error).message : publicMessage(error) });
        if (!known) console.error('[import]', error);
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { ...headers, 'Content-Type': 'application/x-ndjson; charset=utf-8' } });
}
