/**
 * One article body in markdown, 800 to 3,000 words, with what real articles carry: sections and
 * sub-sections, lists, code, quotes, links, tables and images (our own uploaded media, so pages
 * and Lighthouse never reach for the network).
 */
import type { Rng } from '../prng';
import { capitalise, paragraph, sentence } from './text';
import { CODE_SAMPLES, NOUNS } from './vocabulary';

export type BodyImage = { url: string; alt: string };

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function list(rng: Rng): string {
  const ordered = rng.chance(0.4);
  return Array.from({ length: rng.int(3, 6) }, (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence(rng)}`).join('\n');
}

function quote(rng: Rng): string {
  return paragraph(rng, rng.int(1, 3))
    .split('. ')
    .map((line) => `> ${line}`)
    .join('\n>\n');
}

function code(rng: Rng): string {
  const sample = rng.pick(CODE_SAMPLES);
  return `\`\`\`${sample.lang}\n${sample.code}\n\`\`\``;
}

function table(rng: Rng): string {
  const rows = Array.from({ length: rng.int(3, 5) }, () => `| ${capitalise(rng.pick(NOUNS))} | ${rng.int(1, 999)} | ${rng.int(1, 99)}% |`);
  return ['| Item | Count | Share |', '| --- | ---: | ---: |', ...rows].join('\n');
}

/** A paragraph with an external link, an internal tag link, inline code or emphasis mixed in. */
function richParagraph(rng: Rng, tagSlugs: readonly string[]): string {
  const text = paragraph(rng);
  const noun = rng.pick(NOUNS);
  const extras = [
    `See [the ${noun} report](https://example.com/reports/${noun}-${rng.int(1, 99)}) for the figures.`,
    `More in [${noun}](/tags/${rng.pick(tagSlugs)}).`,
    `The \`${noun}_${rng.int(1, 9)}\` flag is **off** by default, and *that* matters.`,
    `~~${capitalise(noun)} first~~ was the old rule.`,
  ];
  return rng.chance(0.5) ? `${text} ${rng.pick(extras)}` : text;
}

export function generateBody(rng: Rng, images: readonly BodyImage[], tagSlugs: readonly string[]): string {
  const target = rng.int(800, 3000);
  const blocks: string[] = [paragraph(rng), richParagraph(rng, tagSlugs)];
  let count = blocks.reduce((n, block) => n + words(block), 0);
  let section = 0;
  while (count < target) {
    section += 1;
    const parts: string[] = [`## ${capitalise(sentence(rng).replace(/[.?]$/, '').split(' ').slice(0, rng.int(3, 7)).join(' '))}`];
    parts.push(richParagraph(rng, tagSlugs), paragraph(rng));
    if (section % 2 === 0) parts.push(`### ${capitalise(rng.pick(NOUNS))} in practice`, paragraph(rng));
    const extra = rng.next();
    if (extra < 0.25) parts.push(list(rng));
    else if (extra < 0.45) parts.push(code(rng));
    else if (extra < 0.6) parts.push(quote(rng));
    else if (extra < 0.7) parts.push(table(rng));
    if (images.length > 0 && rng.chance(0.3)) {
      const image = rng.pick(images);
      parts.push(`![${image.alt}](${image.url})`);
    }
    parts.push(richParagraph(rng, tagSlugs));
    for (const part of parts) count += words(part);
    blocks.push(...parts);
  }
  return `${blocks.join('\n\n')}\n`;
}
