import http from 'node:http';
import https from 'node:https';
import { guardedLookup, literalHostRefusal, RefusedAddressError } from './guard';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The most of an answer read: enough to show why a receiver refused, never a whole page. */
export const MAX_RESPONSE_BYTES = 4096;
/** What the delivery log keeps of an answer or an error. */
export const SNIPPET_BYTES = 500;

export type Attempt = {
  ok: boolean;
  /** The receiver's HTTP status; null when there was no answer (refused, unreachable, timed out). */
  status: number | null;
  /** The first bytes of the answer, or what went wrong. */
  snippet: string;
  durationMs: number;
};

export type WebhookRequest = { url: string; body: string; headers: Record<string, string>; allowPrivate: boolean; timeoutMs?: number };

/** The first SNIPPET_BYTES of a text, cut on a character boundary. */
export function snippetOf(bytes: Buffer | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return new TextDecoder('utf-8', { fatal: false }).decode(buffer.subarray(0, SNIPPET_BYTES)).replace(/\uFFFD$/, '');
}

/**
 * One POST to a webhook endpoint, never throwing: 2xx is success, anything else (an answer, a
 * refusal, a network error, the 10 s deadline for the whole exchange) is a failed attempt saying
 * why. Redirects are not followed (a 3xx is a failure naming where it pointed): a receiver cannot
 * send the request anywhere the endpoint's URL was not checked to be, a private address included.
 * Each request has its own connection (no agent), opened through `guardedLookup`.
 */
export async function postWebhook(request: WebhookRequest): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(request.url);
  const refused = literalHostRefusal(url, request.allowPrivate);
  if (refused) return { ok: false, status: null, snippet: snippetOf(`Refused: ${refused.message}`), durationMs: 0 };
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = request.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const finish = (attempt: Omit<Attempt, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...attempt, durationMs: elapsed() });
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(request.allowPrivate),
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const body = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
          if (status >= 300 && status < 400) {
            const location = res.headers.location ?? '(no Location)';
            finish({ ok: false, status, snippet: snippetOf(`Redirected to ${location}: webhooks do not follow redirects; give the endpoint its final URL.`) });
          } else {
            finish({ ok: status >= 200 && status < 300, status, snippet: snippetOf(body) });
          }
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => finish({ ok: false, status: null, snippet: `No answer within ${timeoutMs / 1000} s.` }), timeoutMs);
    req.on('error', (error) => {
      const snippet = error instanceof RefusedAddressError ? `Refused: ${error.message}` : `Could not deliver: ${error.message}`;
      finish({ ok: false, status: null, snippet: snippetOf(snippet) });
    });
    req.end(request.body);
  });
}
