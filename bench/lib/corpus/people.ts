/** The corpus's authors and tags: 20 people with a skewed output, 200 tags with a skewed use. */
import type pg from 'pg';
import { slugify } from '@/lib/slug';
import type { Rng } from '../prng';
import { paragraph } from './text';
import { ADJECTIVES, FIRST_NAMES, LAST_NAMES, NOUNS } from './vocabulary';

export type Author = { id: string; name: string; slug: string };
export type Tag = { id: string; name: string; slug: string };

export async function insertAuthors(client: pg.ClientBase, rng: Rng, count: number): Promise<Author[]> {
  const authors: Author[] = [];
  const used = new Set<string>();
  while (authors.length < count) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const slug = slugify(name, 'author');
    if (used.has(slug)) continue;
    used.add(slug);
    authors.push({ id: rng.uuid(), name, slug });
  }
  // Imported-style authors: an email on record but no password, so they cannot sign in.
  await client.query(
    `insert into users (id, name, slug, email, role, bio)
     select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::role[], $6::text[])`,
    [
      authors.map((a) => a.id),
      authors.map((a) => a.name),
      authors.map((a) => a.slug),
      authors.map((a) => `${a.slug}@bench.invalid`),
      authors.map(() => 'author'),
      authors.map(() => paragraph(rng, 2)),
    ],
  );
  return authors;
}

export async function insertTags(client: pg.ClientBase, rng: Rng, count: number): Promise<Tag[]> {
  const tags: Tag[] = [];
  const used = new Set<string>();
  const words = [...NOUNS, ...ADJECTIVES];
  for (let attempt = 0; tags.length < count; attempt += 1) {
    // Single words first (the common tags), then pairs once those run out.
    const name = attempt < words.length ? words[attempt] : `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
    const display = name.replace(/\b\w/g, (c) => c.toUpperCase());
    const slug = slugify(display, 'tag');
    if (used.has(slug)) continue;
    used.add(slug);
    tags.push({ id: rng.uuid(), name: display, slug });
  }
  await client.query(`insert into tags (id, name, slug, description) select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`, [
    tags.map((t) => t.id),
    tags.map((t) => t.name),
    tags.map((t) => t.slug),
    tags.map((t) => `Articles about ${t.name.toLowerCase()}.`),
  ]);
  return tags;
}
