/** Small hast helpers shared by the import steps (the tree is depth-capped, so recursion is safe). */
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';

export type Parent = Root | Element;

export function classes(element: Element): string[] {
  const value: unknown = element.properties.className;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

export function hasClass(element: Element, name: string | RegExp): boolean {
  return classes(element).some((value) => (typeof name === 'string' ? value === name : name.test(value)));
}

export function element(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children };
}

export function text(value: string): ElementContent {
  return { type: 'text', value };
}

/** Visible text with whitespace collapsed. */
export function plainText(node: Parent | ElementContent): string {
  return toString(node).replace(/\s+/g, ' ').trim();
}

/** Every element matching `test`, in document order, with its parent (an explicit stack: cheaper than `visit`). */
export function findAll(tree: Parent, test: (node: Element) => boolean): Array<{ node: Element; parent: Parent }> {
  const found: Array<{ node: Element; parent: Parent }> = [];
  const stack: Array<{ node: Element; parent: Parent }> = [];
  const push = (parent: Parent) => {
    for (let index = parent.children.length - 1; index >= 0; index -= 1) {
      const child = parent.children[index];
      if (child.type === 'element') stack.push({ node: child, parent });
    }
  };
  push(tree);
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (test(entry.node)) found.push(entry);
    push(entry.node);
  }
  return found;
}

/** Every element matching `test` inside `root` (root itself excluded), in document order. */
export function descendants(root: Parent, test: (node: Element) => boolean): Element[] {
  return findAll(root, test).map((entry) => entry.node);
}

export function replaceWith(parent: Parent, node: Element, replacement: ElementContent[]): void {
  const index = parent.children.indexOf(node);
  if (index >= 0) parent.children.splice(index, 1, ...replacement);
}

export function isWhitespace(node: ElementContent): boolean {
  return node.type === 'comment' || (node.type === 'text' && node.value.trim() === '');
}

export function elementChildren(parent: Parent): Element[] {
  const found: Element[] = [];
  for (const child of parent.children) if (child.type === 'element') found.push(child);
  return found;
}
