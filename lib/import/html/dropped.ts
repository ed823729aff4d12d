/**
 * The first step on the parsed body: name what our sanitiser (lib/markdown/sanitize-schema.ts)
 * would drop, and take out what must not reach the markdown at all.
 *
 * Everything is derived from `sanitizeSchema`:
 * - elements outside `tagNames` are reported (`<form>`, `<u>, its text kept (3)`), except the few this converter
 *   turns into markdown itself (`HANDLED`); those in `strip` (script, style, iframe, object…) are
 *   removed with their content here, so no script or style text leaks into the markdown;
 * - event-handler and `style` attributes the schema does not allow are reported once per name
 *   (other stripped attributes — class, data-*, srcset — are markup that markdown has no place
 *   for anyway, and would only be noise);
 * - URLs whose scheme the schema's `protocols` refuse (`javascript:`, `data:`…) are reported and
 *   removed (a link keeps its text, an image is dropped).
 * Comments (WordPress block delimiters) are removed silently (the first `<!--more-->` was kept by ./more.ts).
 */
import type { Element, Root } from 'hast';
import { sanitizeSchema } from '@/lib/markdown/sanitize-schema';
import { type Parent } from './hast';

type AttributeDefinition = string | [string, ...unknown[]];

const ALLOWED_TAGS = new Set(sanitizeSchema.tagNames ?? []);
const STRIPPED_TAGS = new Set(sanitizeSchema.strip ?? []);
const ATTRIBUTES = (sanitizeSchema.attributes ?? {}) as Record<string, AttributeDefinition[]>;
const PROTOCOLS = (sanitizeSchema.protocols ?? {}) as Record<string, string[]>;

/** Elements outside the schema that the converter maps to markdown on purpose (figures, galleries, media links). */
const HANDLED = new Set(['figure', 'figcaption', 'picture', 'source', 'audio', 'video']);

/** Elements whose report names their source URL. */
const URL_PROPERTY: Record<string, string> = { iframe: 'src', embed: 'src', object: 'data', frame: 'src' };

function allowsAttribute(tagName: string, property: string): boolean {
  const definitions = [...(ATTRIBUTES[tagName] ?? []), ...(ATTRIBUTES['*'] ?? [])];
  return definitions.some((definition) => (typeof definition === 'string' ? definition : definition[0]) === property);
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** The scheme of an absolute URL the sanitiser would refuse for `property`, or null when it is fine. */
export function refusedScheme(property: string, value: string): string | null {
  const allowed = PROTOCOLS[property];
  if (!allowed) return null;
  // Browsers ignore control characters and whitespace inside the scheme (`java\nscript:`).
  const compact = value.replace(/[\u0000-\u0020]/g, '');
  const match = SCHEME.exec(compact);
  if (!match) return null;
  // Relative when a `/`, `?` or `#` comes before the first `:` (as hast-util-sanitize decides).
  const slash = compact.search(/[/?#]/);
  if (slash >= 0 && slash < match[1].length) return null;
  const scheme = match[1].toLowerCase();
  return allowed.includes(scheme) ? null : scheme;
}

function shorten(value: string): string {
  return value.length > 100 ? value.slice(0, 99) + '…' : value;
}

export class DroppedReport {
  private readonly counts = new Map<string, number>();

  add(entry: string): void {
    this.counts.set(entry, (this.counts.get(entry) ?? 0) + 1);
  }

  list(): string[] {
    return [...this.counts].map(([entry, count]) => (count > 1 ? `${entry} (${count})` : entry));
  }
}

/** Removes comments and stripped elements, refused URLs; records everything in `report`. */
export function removeDropped(tree: Root, report: DroppedReport): void {
  const stack: Parent[] = [tree];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const kept: Parent['children'] = [];
    for (const child of parent.children) {
      if (child.type === 'comment' || child.type === 'doctype') continue;
      // Source positions are of no use here and only cost time in rehype-remark (it clones the tree).
      delete child.position;
      if (child.type !== 'element') {
        kept.push(child);
        continue;
      }
      const name = child.tagName;
      if (!ALLOWED_TAGS.has(name) && !HANDLED.has(name)) {
        const urlProperty = URL_PROPERTY[name];
        const url = urlProperty ? child.properties[urlProperty] : undefined;
        const element = typeof url === 'string' && url ? `<${name} ${urlProperty}=${shorten(url)}>` : `<${name}>`;
        if (STRIPPED_TAGS.has(name)) {
          report.add(element);
          continue;
        }
        // Unwrapped, not lost (a quote's <cite>, <u>, <font>): said so, so it does not read as lost content.
        report.add(`${element}, its text kept`);
      }
      if (!checkAttributes(child, report)) continue;
      kept.push(child);
      stack.push(child);
    }
    parent.children = kept as typeof parent.children;
  }
}

/** Reports and removes refused attributes; false when the element itself must go (an image without a source). */
function checkAttributes(node: Element, report: DroppedReport): boolean {
  if (node.tagName === 'img') {
    // Lazy-loading plugins keep the real source in data-src and a placeholder (often `data:`) in src.
    const src = node.properties.src;
    const lazy = node.properties.dataSrc ?? node.properties.dataLazySrc;
    if ((typeof src !== 'string' || !src || refusedScheme('src', src)) && typeof lazy === 'string' && lazy) {
      node.properties.src = lazy;
    }
  }
  for (const [property, value] of Object.entries(node.properties)) {
    if (value === undefined || value === null || value === false) continue;
    const lower = property.toLowerCase();
    if (lower.startsWith('on') && lower.length > 2 && !allowsAttribute(node.tagName, property)) {
      report.add(`${lower} attribute`);
    } else if (property === 'style' && !allowsAttribute(node.tagName, property)) {
      report.add('style attributes');
    } else if (typeof value === 'string' && PROTOCOLS[property]) {
      const scheme = refusedScheme(property, value);
      if (scheme) {
        report.add(`${scheme}: URL in <${node.tagName} ${property.toLowerCase()}>`);
        delete node.properties[property];
      }
    }
  }
  return node.tagName !== 'img' || (typeof node.properties.src === 'string' && node.properties.src !== '');
}
