/**
 * The explicit HTML allow-list for rendered markdown.
 *
 * Built from rehype-sanitize's GitHub-like `defaultSchema`, then tightened:
 *
 * - URLs: `href` may be http, https, mailto or relative / `#fragment`;
 *   `src` may be http, https or relative. Nothing else — in particular no
 *   `data:`, `javascript:` or `vbscript:` (hast-util-sanitize treats any value
 *   whose scheme is not listed as unsafe and drops the attribute, and a value
 *   is only "relative" when a `/`, `?` or `#` comes before the first `:`).
 * - Elements: only the tag names listed below survive. Anything else
 *   (script, style, iframe, object, embed, form, svg, math, link, meta, base,
 *   …) is removed; the ones in `strip` are removed *with their content*, the
 *   rest are unwrapped so harmless text inside them survives as text.
 * - `<input>` only as a GFM task-list checkbox: it must sit inside an `<li>`,
 *   and is forced to `type="checkbox" disabled`.
 * - Attributes: no `on*` handlers, no `style`, and `class` only where GFM /
 *   highlighting need it (`language-*` on `<code>`, the footnote and task-list
 *   classes). Form-ish global attributes from the default list are dropped.
 * - `id` / `name` / `aria-describedby` / `aria-labelledby` written by the
 *   author are prefixed with `user-content-` (DOM clobbering protection).
 *
 * The pipeline adds its own attributes (heading ids, anchor class, highlight
 * classes, `loading`, `rel`, …) *after* sanitising, so they are not listed here.
 */
import { defaultSchema } from 'rehype-sanitize';
import type { Options as SanitizeSchema } from 'rehype-sanitize';

/** The prefix the sanitiser puts before author-supplied ids and names (see `clobber`). */
export const CLOBBER_PREFIX = 'user-content-';

type AttributeDefinition = NonNullable<NonNullable<SanitizeSchema['attributes']>[string]>[number];

/** Global attributes from the default list that only make sense on forms or are otherwise not wanted. */
const droppedGlobalAttributes = new Set([
  'accept',
  'acceptCharset',
  'accessKey',
  'action',
  'checked',
  'encType',
  'isMap',
  'method',
  'multiple',
  'prompt',
  'readOnly',
  'selected',
  'tabIndex',
  'useMap', // <map>/<area> are not allowed
]);

const defaultGlobal = (defaultSchema.attributes?.['*'] ?? []) as AttributeDefinition[];

const globalAttributes: AttributeDefinition[] = defaultGlobal.filter((definition) => {
  const name = typeof definition === 'string' ? definition : definition[0];
  return !droppedGlobalAttributes.has(name);
});

/** Elements removed together with everything inside them. */
const stripWithContent = [
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'textarea',
  'select',
  'title',
  'xmp',
  'plaintext',
];

/**
 * `<picture>`/`<source>` are dropped (unwrapped): `srcset` carries URLs the protocol check does not
 * cover. Everything else from the GitHub list stays (details/summary, kbd, sup, sub, ruby, …).
 */
const droppedTags = new Set(['picture', 'source', ...stripWithContent]);

const tagNames = (defaultSchema.tagNames ?? []).filter((name) => !droppedTags.has(name));

export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  tagNames,
  strip: stripWithContent,
  ancestors: {
    ...defaultSchema.ancestors,
    // Task-list checkboxes are emitted inside `<li>`; a raw `<input>` anywhere else is dropped.
    input: ['li'],
  },
  attributes: {
    ...defaultSchema.attributes,
    '*': globalAttributes,
    a: [
      'ariaDescribedBy',
      'ariaLabel',
      'ariaLabelledBy',
      // GFM footnotes.
      'dataFootnoteBackref',
      'dataFootnoteRef',
      ['className', 'data-footnote-backref'],
      'href',
    ],
    // No microdata on `<div>`: `itemType` is a URL the protocol check does not cover.
    div: [],
    // Needed by rehype-highlight to know the fence language.
    code: [['className', /^language-[\w+#.-]+$/]],
    // GFM footnote section label (visually hidden).
    h2: [['className', 'sr-only']],
    img: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy', 'src'],
    input: [
      ['disabled', true],
      ['type', 'checkbox'],
      // Task lists mark done items with `checked`; it is harmless on a disabled checkbox.
      'checked',
    ],
    li: [['className', 'task-list-item']],
    ol: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy', ['className', 'contains-task-list']],
    ul: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy', ['className', 'contains-task-list']],
    section: ['dataFootnotes', ['className', 'footnotes']],
  },
  required: {
    input: { disabled: true, type: 'checkbox' },
  },
  clobber: ['ariaDescribedBy', 'ariaLabelledBy', 'id', 'name'],
  clobberPrefix: CLOBBER_PREFIX,
  protocols: {
    cite: ['http', 'https'],
    href: ['http', 'https', 'mailto'],
    src: ['http', 'https'],
  },
};
