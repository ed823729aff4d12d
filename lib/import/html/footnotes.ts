/**
 * Footnotes → GFM footnotes. Three shapes are recognised, all "a `sup > a[href=#X]` whose target
 * `#X` is an `li` of a footnote list":
 *
 * - markdown-it (Ghost's markdown card): `<sup class="footnote-ref"><a href="#fn1" id="fnref1">` …
 *   `<hr class="footnotes-sep"><section class="footnotes"><ol><li id="fn1">… <a class="footnote-backref">`;
 * - WordPress 6.3+ core footnotes: `<sup data-fn="UUID" class="fn"><a href="#UUID" id="UUID-link">` …
 *   `<ol class="wp-block-footnotes"><li id="UUID">… <a href="#UUID-link">↩︎</a>` (the parser appends
 *   the footnotes meta rendered that way, as WordPress does);
 * - generic: the same reference shape pointing into an `<ol>` at the very end of the body.
 *
 * References become `fn-ref` elements and definitions `fn-def` elements appended to the root, both
 * turned into mdast footnote nodes by the handlers in `footnoteHandlers`; numbering follows the
 * order of first reference. Back-links are removed. A list none of whose items is referenced is
 * left as an ordinary list.
 */
import type { Element, Root } from 'hast';
import type { Options as RehypeRemarkOptions } from 'rehype-remark';
import { element, elementChildren, findAll, hasClass, isWhitespace, type Parent } from './hast';

type Handlers = NonNullable<RehypeRemarkOptions['handlers']>;

const REF = 'fn-ref';
const DEF = 'fn-def';

function fragmentOf(link: Element): string | null {
  const href = link.properties.href;
  if (typeof href !== 'string' || !href.startsWith('#') || href.length < 2) return null;
  try {
    return decodeURIComponent(href.slice(1));
  } catch {
    return href.slice(1);
  }
}

/** The single link of a `<sup>` (whitespace aside), or null. */
function referenceLink(sup: Element): Element | null {
  const meaningful = sup.children.filter((child) => !isWhitespace(child));
  if (meaningful.length !== 1 || meaningful[0].type !== 'element' || meaningful[0].tagName !== 'a') return null;
  return meaningful[0];
}

function isFootnoteContainer(node: Element): boolean {
  return hasClass(node, 'footnotes') || hasClass(node, 'wp-block-footnotes') || node.properties.dataFootnotes !== undefined;
}

/** Whether `list` is the last thing in the body (descending through the last element of each level). */
function isAtEnd(tree: Root, list: Element): boolean {
  let current: Parent = tree;
  for (let level = 0; level < 6; level += 1) {
    const children = elementChildren(current);
    const last = children[children.length - 1];
    if (!last) return false;
    if (last === list) return true;
    current = last;
  }
  return false;
}

export function convertFootnotes(tree: Root): void {
  // Footnote lists: every `li[id]` of an `ol` that is marked as footnotes or sits at the end.
  const lists = findAll(tree, (node) => node.tagName === 'ol');
  const itemsById = new Map<string, { item: Element; list: Element }>();
  const containers = new Map<Element, Parent>();
  for (const { node: list, parent } of lists) {
    const marked = isFootnoteContainer(list) || (parent.type === 'element' && isFootnoteContainer(parent));
    if (!marked && !isAtEnd(tree, list)) continue;
    containers.set(list, parent);
    for (const item of elementChildren(list)) {
      if (item.tagName === 'li' && typeof item.properties.id === 'string') itemsById.set(item.properties.id, { item, list });
    }
  }
  if (itemsById.size === 0) return;

  const references = findAll(tree, (node) => node.tagName === 'sup');
  const labels = new Map<string, string>();
  const referenceIds = new Set<string>();
  const usedLists = new Set<Element>();
  for (const { node: sup, parent } of references) {
    const link = referenceLink(sup);
    const target = link ? fragmentOf(link) : null;
    if (!link || !target || !itemsById.has(target)) continue;
    if (!labels.has(target)) labels.set(target, String(labels.size + 1));
    if (typeof link.properties.id === 'string') referenceIds.add(link.properties.id);
    usedLists.add(itemsById.get(target)!.list);
    const index = parent.children.indexOf(sup);
    parent.children[index] = element(REF, { label: labels.get(target)! }, []);
  }
  if (labels.size === 0) return;

  const definitions: Element[] = [];
  let next = labels.size + 1;
  for (const [list, parent] of containers) {
    if (!usedLists.has(list)) continue;
    for (const item of elementChildren(list)) {
      if (item.tagName !== 'li') continue;
      // An item nothing refers to keeps a number of its own (GFM renders only referenced ones).
      const id = typeof item.properties.id === 'string' ? item.properties.id : '';
      const label = labels.get(id) ?? String(next++);
      removeBackLinks(item, referenceIds);
      definitions.push(element(DEF, { label }, item.children));
    }
    removeList(tree, list, parent);
  }
  tree.children.push(...definitions);
}

function removeBackLinks(item: Element, referenceIds: Set<string>): void {
  const isBackLink = (node: Element) =>
    node.tagName === 'a' &&
    (hasClass(node, 'footnote-backref') ||
      node.properties.dataFootnoteBackref !== undefined ||
      referenceIds.has(fragmentOf(node) ?? '') ||
      /^\s*[↩↑^]\uFE0E?\uFE0F?\s*$/.test(String((node.children[0] as { value?: string } | undefined)?.value ?? '')));
  const stack: Element[] = [item];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.children = node.children.filter((child) => !(child.type === 'element' && isBackLink(child)));
    // Trailing whitespace left before a removed back-link.
    const last = node.children[node.children.length - 1];
    if (last?.type === 'text') last.value = last.value.trimEnd();
    for (const child of node.children) if (child.type === 'element') stack.push(child);
  }
}

/** Removes the footnote list, its now-empty `section.footnotes` wrapper and markdown-it's `hr.footnotes-sep`. */
function removeList(tree: Root, list: Element, parent: Parent): void {
  parent.children = parent.children.filter((child) => child !== list) as typeof parent.children;
  if (parent.type === 'element' && isFootnoteContainer(parent) && parent.children.every(isWhitespace)) {
    for (const { node, parent: grandParent } of findAll(tree, (node) => node === parent)) {
      grandParent.children = grandParent.children.filter((child) => child !== node) as typeof grandParent.children;
    }
  }
  for (const { node, parent: hrParent } of findAll(tree, (node) => node.tagName === 'hr' && hasClass(node, 'footnotes-sep'))) {
    hrParent.children = hrParent.children.filter((child) => child !== node) as typeof hrParent.children;
  }
}

export const footnoteHandlers: Handlers = {
  [REF]: (_state, node) => {
    const label = String(node.properties.label);
    return { type: 'footnoteReference', identifier: label, label };
  },
  [DEF]: (state, node) => {
    const label = String(node.properties.label);
    return { type: 'footnoteDefinition', identifier: label, label, children: state.toFlow(state.all(node)) };
  },
};
