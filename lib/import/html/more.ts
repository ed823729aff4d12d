/**
 * WordPress's "read more" marker (`<!--more-->`, in classic bodies and inside Gutenberg's
 * `wp:more` block) is kept: it becomes our own `<!--more-->` line (lib/markdown: the excerpt ends
 * there). Comments do not survive the conversion to markdown, so the first one is replaced by a
 * placeholder paragraph at the top level, after the block it was in, and the placeholder's line
 * becomes the marker once the markdown is written.
 */
import type { Root, RootContent } from 'hast';
import { element, text, type Parent } from './hast';

/** Letters and hyphens only: remark-stringify writes it as it is, and no real text contains it. */
const PLACEHOLDER = 'broadsheet-read-more-marker-5b1d';
const MORE_COMMENT = /^\s*more(?:\s|$)/i;

function containsMore(node: RootContent): boolean {
  const stack: RootContent[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'comment' && MORE_COMMENT.test(current.value)) return true;
    if (current.type === 'element') stack.push(...current.children);
  }
  return false;
}

/** Puts the placeholder after the first top-level block holding a `<!--more-->`; true when there was one. */
export function markReadMore(tree: Root): boolean {
  const index = tree.children.findIndex(containsMore);
  if (index < 0) return false;
  const marker = element('p', {}, [text(PLACEHOLDER)]) as Parent & RootContent;
  tree.children.splice(index + 1, 0, marker);
  return true;
}

/** The placeholder's line, now the marker. */
export function writeReadMore(markdown: string): string {
  return markdown.replace(new RegExp(`^${PLACEHOLDER}$`, 'm'), '<!--more-->');
}
