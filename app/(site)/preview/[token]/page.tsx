import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Article } from '@/components/site/article';
import { PageView } from '@/components/site/page-view';
import { getPostByPreviewToken } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ token: string }> };

// Never indexed; next.config.js also sends Cache-Control: private, no-store for /preview/*.
export const metadata: Metadata = { title: 'Preview', robots: { index: false, follow: false, nocache: true } };

/** A draft (post or page, each in its own layout) as readers would see it, for whoever holds the unguessable link, until it is revoked. */
export default async function PreviewPage({ params }: Props) {
  const post = await getPostByPreviewToken((await params).token);
  if (!post) notFound();
  const site = await getSiteSettings();
  return (
    <>
      <p className="preview-banner" role="status">
        Preview: this is how the {post.kind} will look to readers. It is not public until it is published.
      </p>
      {post.kind === 'page' ? <PageView page={post} site={site} /> : <Article post={post} site={site} />}
    </>
  );
}
