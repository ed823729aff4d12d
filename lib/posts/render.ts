import { renderMarkdown, RENDERER_VERSION, type EmbedMap } from '@/lib/markdown';

/**
 * The stored result of the pipeline: a page view reads these columns and never parses markdown.
 * `embeds`: the link cards' data a save resolved (lib/embeds); without it cards show their URL.
 */
export async function renderedColumns(markdown: string, embeds?: EmbedMap) {
  const rendered = await renderMarkdown(markdown, { embeds });
  return {
    html: rendered.html,
    toc: rendered.toc,
    wordCount: rendered.wordCount,
    readingMinutes: rendered.readingMinutes,
    excerpt: rendered.excerpt,
    rendererVersion: RENDERER_VERSION,
  };
}
