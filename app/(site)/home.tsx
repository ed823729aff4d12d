import { PostList } from '@/components/site/post-list';
import { SubscribeForm } from '@/components/site/subscribe-form';
import { listPublicPosts } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

/** The home list from a keyset cursor (null: the first page). */
export async function Home({ after }: { after: string | null }) {
  const site = await getSiteSettings();
  const page = await listPublicPosts({ cursor: after, limit: site.postsPerPage });
  return (
    <>
      <h1 className={after ? 'page-title' : 'visually-hidden'}>{after ? 'Older posts' : `${site.title}: latest posts`}</h1>
      <PostList page={page} basePath="/" timeZone={site.timeZone} isFirstPage={!after} empty="Nothing published yet." />
      {after ? null : <SubscribeForm id="home-subscribe" />}
    </>
  );
}
