import type { PostFields } from '../../lib/posts/schemas';

/** A post's editable fields, all empty: spread and override what a test needs. */
export function emptyFields(): PostFields {
  return {
    title: '',
    subtitle: '',
    description: '',
    slug: '',
    heroImage: '',
    heroImageAlt: '',
    cta: '',
    tags: [],
    readTimeOverride: null,
    markdown: '',
  };
}
