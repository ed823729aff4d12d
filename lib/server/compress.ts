import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Compresses a response body. Bytes that will be served again (`once` false) get a slower, tighter
 * compression; used by the responder (lib/server/respond.ts) and the replays (lib/server/replay.ts).
 */
export function compress(body: Buffer, encoding: 'br' | 'gzip', once: boolean): Buffer {
  const bytes =
    encoding === 'br'
      ? brotliCompressSync(body, {
          // Quality 9 would save ~1% more for 15x the time (19 ms for a 70 KB page, on the first reader's clock).
          params: { [constants.BROTLI_PARAM_QUALITY]: once ? 4 : 6, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        })
      : gzipSync(body, { level: once ? 5 : 7 });
  return once ? bytes : owned(bytes);
}

/**
 * The bytes in memory of their own. node:zlib returns output that fits its 16 KB work buffer as a
 * view of that buffer, so 3 KB of a kept list page held 16 KB: replays counted at 24 MB held about
 * 50. Kept bytes are copied out (unpooled: Node's 8 KB pool would do the same for small ones).
 */
export function owned(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
