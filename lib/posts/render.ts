import { renderMarkdown, RENDERER_VERSION } from '@/lib/markdown';

/** The stored result of the pipeline: a page view reads these columns and never parses markdown. */
export async function renderedColumns(markdown: string) {
  const rendered = await renderMarkdown(markdown);
  return {
    html: rendered.html,
    toc: rendered.toc,
    wordCount: rendered.wordCount,
    readingMinutes: rendered.readingMinutes,
    rendererVersion: RENDERER_VERSION,
  };
}
