/**
 * The CPU-bound half of an import, one body at a time: HTML → our markdown (lib/import/html) and
 * markdown → the stored columns (lib/posts/render). Pure, no I/O, no `server-only`: it runs in the
 * import's own thread or in worker threads (./work.ts).
 * Everything in and out is structured-clonable: attachments are a Map, a refusal is a value.
 */
import { MarkdownTooLargeError } from '@/lib/markdown';
import { renderedColumns } from '@/lib/posts/render';
import { convertBody } from './html';
import type { BodyConverterOptions, ConvertedBody } from './types';

export type ConvertTask = { html: string; options: BodyConverterOptions };

export function convert({ html, options }: ConvertTask): ConvertedBody {
  return convertBody(html, options);
}

export type RenderedBody = Awaited<ReturnType<typeof renderedColumns>>;
/** The columns, or why the renderer refuses the body (MarkdownTooLargeError's message). */
export type RenderOutcome = { columns: RenderedBody } | { refused: string };

export async function render(markdown: string): Promise<RenderOutcome> {
  try {
    return { columns: await renderedColumns(markdown) };
  } catch (error) {
    if (error instanceof MarkdownTooLargeError) return { refused: error.message };
    throw error;
  }
}
