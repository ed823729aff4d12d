import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Compresses a response body. Bytes that will be served again (`once` false) get a slower, tighter
 * compression; used by the responder (lib/server/respond.ts) and the replays (lib/server/replay.ts).
 */
export function compress(body: Buffer, encoding: 'br' | 'gzip', once: boolean): Buffer {
  if (encoding === 'br') {
    return brotliCompressSync(body, {
      // Quality 9 would save ~1% more for 15x the time (19 ms for a 70 KB page, on the first reader's clock).
      params: { [constants.BROTLI_PARAM_QUALITY]: once ? 4 : 6, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
  }
  return gzipSync(body, { level: once ? 5 : 7 });
}
