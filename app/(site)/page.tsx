import { PostList } from '@/components/site/post-list';
import { afterParam } from '@/lib/params';
import { listPublicPosts } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

/** Home: public posts, newest first, keyset-paginated with ?after=. */
export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const after = afterParam(await searchParams);
  const site = await getSiteSettings();
  const page = await listPublicPosts({ cursor: after, limit: site.postsPerPage });
  return (
    <>
      <h1 className={after ? 'page-title' : 'visually-hidden'}>{after ? 'Older posts' : `${site.title}: latest posts`}</h1>
      <PostList page={page} basePath="/" timeZone={site.timeZone} isFirstPage={!after} empty="Nothing published yet." />
    </>
  );
}
