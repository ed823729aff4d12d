import { responsiveImage } from '@/lib/media/urls';

/** The hero spans the article's measure plus its bleed (see .article-hero in globals.css). */
const HERO_SIZES = '(max-width: 46.5rem) 100vw, 46.5rem';

/** The lead image of an article or a page: sized from its URL when it is ours, never waited for. */
export function HeroImage({ src, alt }: { src: string | null; alt: string }) {
  if (!src) return null;
  return (
    <figure className="article-hero">
      {/* eslint-disable-next-line @next/next/no-img-element -- any remote host; the page never waits for it */}
      <img {...responsiveImage(src, HERO_SIZES, { width: 1600, height: 900 })} alt={alt} fetchPriority="high" decoding="async" referrerPolicy="no-referrer" />
    </figure>
  );
}
