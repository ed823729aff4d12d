import { slugify } from '@/lib/slug';

/** The uploader's file name as a URL-safe slug with our extension for the detected format. */
export function cleanFilename(name: string, ext: string): string {
  let base = slugify(name.replace(/\.[^.]*$/, ''), 'image')
    .slice(0, 80)
    .replace(/-+$/, '');
  // Never shaped like a variant name (`w640`), so an original's URL cannot be mistaken for one.
  if (/^w\d+$/.test(base)) base = `image-${base}`;
  return `${base}.${ext}`;
}
