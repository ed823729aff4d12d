/**
 * The one-paragraph summary search engines, link previews and JSON-LD show: the description written
 * for them, else the author's excerpt (above `<!--more-->`), else the subtitle.
 */
export function summaryOf(post: { description: string; excerpt: string; subtitle: string }): string {
  return post.description || post.excerpt || post.subtitle;
}
