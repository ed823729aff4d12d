import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { orNotFound } from '@/components/editor/guard';
import { MediaCard } from '@/components/editor/media-card';
import { MediaLibraryUpload } from '@/components/editor/media-library-upload';
import { firstParam } from '@/lib/params';
import { listMedia } from '@/lib/media/queries';
import { getSiteSettings } from '@/lib/site/settings';
import { Pager } from '@/components/ui/pager';
import { deleteMediaAction, updateMediaAltAction } from './actions';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Media' };

const mediaActions = { updateAlt: updateMediaAltAction, delete: deleteMediaAction };

// Hostile query strings become "no search" and "page one"; the layer checks the cursor itself.
const paramsSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  after: z.string().max(500).nullable().catch(null),
});

const href = (q: string, after?: string) => `/editor/media${q || after ? `?${new URLSearchParams({ ...(q ? { q } : {}), ...(after ? { after } : {}) })}` : ''}`;

/** The image library: everything uploaded, newest first, searchable by file name. */
export default async function EditorMediaPage({ searchParams }: Props) {
  const raw = await searchParams;
  const { q, after } = paramsSchema.parse({ q: firstParam(raw.q) ?? '', after: firstParam(raw.after) || null });
  const [list, site] = await Promise.all([orNotFound(listMedia({ q, after }), '/editor/media'), getSiteSettings()]);
  return (
    <>
      <header className="editor-page-header">
        <h1 className="editor-title">Media</h1>
        <MediaLibraryUpload />
      </header>
      <form action="/editor/media" method="get" role="search" className="editor-search">
        <label htmlFor="media-q">Search by file name</label>
        <input id="media-q" type="search" name="q" defaultValue={q} maxLength={200} />
        <button type="submit">Search</button>
        {q ? <Link href="/editor/media">Clear search</Link> : null}
      </form>
      {list.items.length === 0 ? (
        <p className="empty">{q ? `No images match “${q}”.` : after ? 'No older images.' : 'No images yet. Upload one here or from a post.'}</p>
      ) : (
        <ul className="media-grid" aria-label="Images">
          {list.items.map((item) => (
            <MediaCard key={item.id} item={item} timeZone={site.timeZone} actions={mediaActions} />
          ))}
        </ul>
      )}
      <Pager newestHref={after ? href(q) : null} olderHref={list.nextCursor ? href(q, list.nextCursor) : null} />
    </>
  );
}
