import Link from 'next/link';
import { formatDate, readingTimeLabel } from '@/lib/format';
import { responsiveImage } from '@/lib/media/urls';
import type { PostSummary } from '@/lib/posts/queries';

/** Cards sit in a grid of columns at least 18rem wide inside the 72rem page (.post-list). */
const CARD_SIZES = '(max-width: 40rem) 100vw, (max-width: 72rem) 50vw, 24rem';

/** One post in a list: hero, title, standfirst, byline. The first card's image loads eagerly (it is the likely LCP). */
export function PostCard({ post, timeZone, eager = false }: { post: PostSummary; timeZone: string; eager?: boolean }) {
  const standfirst = post.subtitle || post.description;
  return (
    <article className="card">
      {post.heroImage ? (
        <Link href={`/posts/${post.slug}`} className="card-media" tabIndex={-1} aria-hidden="true">
          {/* eslint-disable-next-line @next/next/no-img-element -- remote images of any host; sized by CSS, never awaited */}
          <img
            {...responsiveImage(post.heroImage, CARD_SIZES, { width: 1200, height: 675 })}
            alt=""
            loading={eager ? 'eager' : 'lazy'}
            decoding="async"
            referrerPolicy="no-referrer"
          />
        </Link>
      ) : null}
      <div className="card-body">
        <h2 className="card-title">
          <Link href={`/posts/${post.slug}`}>{post.title}</Link>
        </h2>
        {standfirst ? <p className="card-standfirst">{standfirst}</p> : null}
        <p className="byline">
          <Link href={`/authors/${post.author.slug}`}>{post.author.name}</Link>
          <span aria-hidden="true"> · </span>
          <time dateTime={post.publishAt.toISOString()}>{formatDate(post.publishAt, timeZone)}</time>
          <span aria-hidden="true"> · </span>
          <span>{readingTimeLabel(post.readingMinutes)}</span>
        </p>
      </div>
    </article>
  );
}
