import Link from 'next/link';
import { formatDate, readingTimeLabel } from '@/lib/format';
import { responsiveImage } from '@/lib/media/urls';
import type { PostSummary } from '@/lib/posts/queries';
import { AuthorLinks } from './author-links';

/** Cards sit in a grid of columns at least 18rem wide inside the 72rem page (.post-list). */
const CARD_SIZES = '(max-width: 40rem) 100vw, (max-width: 72rem) 50vw, 24rem';

/** A featured card spans the page (.card-featured): its image is drawn up to the page's width. */
const FEATURED_SIZES = '(max-width: 72rem) 100vw, 72rem';

type Props = {
  post: PostSummary;
  timeZone: string;
  eager?: boolean;
  /** The home page's lead: a larger card with a larger image. */
  featured?: boolean;
  /** h2 in a list of its own; h3 under a section heading (the home page's sections, related posts). */
  headingLevel?: 2 | 3;
};

/** One post in a list: hero, title, standfirst, byline. The first card's image loads eagerly (it is the likely LCP). */
export function PostCard({ post, timeZone, eager = false, featured = false, headingLevel = 2 }: Props) {
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  // The author's `<!--more-->` excerpt when the body has one, else the subtitle or description.
  const standfirst = post.excerpt || post.subtitle || post.description;
  return (
    <article className={featured ? 'card card-featured' : 'card'}>
      {post.heroImage ? (
        <Link href={`/posts/${post.slug}`} className="card-media" tabIndex={-1} aria-hidden="true">
          {/* eslint-disable-next-line @next/next/no-img-element -- remote images of any host; sized by CSS, never awaited */}
          <img
            {...responsiveImage(post.heroImage, featured ? FEATURED_SIZES : CARD_SIZES, { width: 1200, height: 675 })}
            alt=""
            loading={eager ? 'eager' : 'lazy'}
            decoding="async"
            referrerPolicy="no-referrer"
          />
        </Link>
      ) : null}
      <div className="card-body">
        <Heading className="card-title">
          <Link href={`/posts/${post.slug}`}>{post.title}</Link>
        </Heading>
        {standfirst ? <p className="card-standfirst">{standfirst}</p> : null}
        <p className="byline">
          <AuthorLinks authors={post.authors} />
          <span aria-hidden="true"> · </span>
          <time dateTime={post.publishAt.toISOString()}>{formatDate(post.publishAt, timeZone)}</time>
          <span aria-hidden="true"> · </span>
          <span>{readingTimeLabel(post.readingMinutes)}</span>
        </p>
      </div>
    </article>
  );
}
