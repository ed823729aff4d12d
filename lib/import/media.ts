/**
 * The old site's images: fetched from the export's own host, cleaned like an upload (lib/media:
 * recognised by their bytes, re-encoded without metadata), so the import can store them as media.
 * Images on any other host stay where they are. Nothing here touches the database.
 */
import { cleanImage, type CleanImage } from '@/lib/media/images';
import { cleanFilename } from '@/lib/media/filename';

export type FetchedImage = { url: string; image: CleanImage; filename: string };
export type FetchOutcome = FetchedImage | { url: string; error: string };

export type FetchOptions = {
  maxBytes: number;
  timeoutMs?: number;
  concurrency?: number;
  onDone?: (done: number, total: number) => void;
};

/** True when `url` is on the old site itself (same scheme-less host and port). */
export function isOnSite(url: string, siteUrl: string | null): boolean {
  if (!siteUrl) return false;
  try {
    return new URL(url).host.toLowerCase() === new URL(siteUrl).host.toLowerCase();
  } catch {
    return false;
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

async function fetchOne(url: string, options: FetchOptions): Promise<FetchOutcome> {
  try {
    const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { url, error: `HTTP ${response.status}` };
    }
    const image = await cleanImage(await readLimited(response, options.maxBytes));
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'image');
    return { url, image, filename: cleanFilename(name, image.ext) };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message || 'unreachable';
    return { url, error: reason.replace(/^fetch failed$/, 'unreachable') };
  }
}

/** Fetches every URL (a few at a time); each one either arrives cleaned or says why not. */
export async function fetchImages(urls: string[], options: FetchOptions): Promise<Map<string, FetchOutcome>> {
  const results = new Map<string, FetchOutcome>();
  const queue = [...new Set(urls)];
  const total = queue.length;
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      results.set(url, await fetchOne(url, options));
      options.onDone?.(results.size, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, total) }, worker));
  return results;
}
