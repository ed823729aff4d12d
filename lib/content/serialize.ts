import { stringify } from 'yaml';
import { formatContentDate, type ContentDocument } from './frontmatter';

/** Writes a post in the import format, keys in the sample's order, so an export re-imports verbatim. */
export function serializeContent(doc: ContentDocument): string {
  const fm: Record<string, unknown> = {
    title: doc.title,
    subtitle: doc.subtitle,
    description: doc.description,
    author: doc.author,
  };
  if (doc.authors.length > 1) fm.authors = doc.authors;
  if (doc.featured) fm.featured = true;
  if (doc.series) fm.series = doc.series;
  if (doc.readTimeOverride !== null) fm.read_time = `${doc.readTimeOverride} ${doc.readTimeOverride === 1 ? 'min' : 'mins'}`;
  if (doc.publishAt) fm.publish_date = formatContentDate(doc.publishAt);
  if (doc.createdAt) fm.created_date = formatContentDate(doc.createdAt);
  if (doc.heroImage) fm.heroImage = doc.heroImage;
  fm.cta = doc.cta;
  fm.slug = doc.slug;
  if (doc.tags.length > 0) fm.tags = doc.tags;
  fm.status = doc.status;
  if (doc.heroImageAlt) fm.heroImageAlt = doc.heroImageAlt;
  for (const [key, value] of Object.entries(doc.extra)) if (!Object.hasOwn(fm, key)) fm[key] = value;
  const yaml = stringify(fm, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  return `---\n${yaml}---\n\n${doc.markdown}`;
}
