import { PostCard } from '@/components/site/post-card';
import { PostList } from '@/components/site/post-list';
import { SubscribeForm } from '@/components/site/subscribe-form';
import { listFeaturedPosts, listPublicPosts } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

/** The home list from a keyset cursor (null: the first page, which leads with the featured posts). */
export async function Home({ after }: { after: string | null }) {
  const site = await getSiteSettings();
  const featured = after ? [] : await listFeaturedPosts();
  // The lead is not repeated in the list under it on the same page.
  const page = await listPublicPosts({ cursor: after, limit: site.postsPerPage, exclude: featured.map((post) => post.id) });
  const sections = featured.length > 0;
  return (
    <>
      <h1 className={after ? 'page-title' : 'visually-hidden'}>{after ? 'Older posts' : `${site.title}: latest posts`}</h1>
      {sections ? (
        <section className="featured" aria-labelledby="featured-heading">
          <h2 id="featured-heading" className="visually-hidden">
            Featured
          </h2>
          <div className="featured-list">
            {featured.map((post, index) => (
              <PostCard key={post.id} post={post} timeZone={site.timeZone} eager={index === 0} featured headingLevel={3} />
            ))}
          </div>
        </section>
      ) : null}
      {sections ? (
        <h2 id="latest-heading" className="section-title">
          Latest
        </h2>
      ) : null}
      <PostList
        page={page}
        basePath="/"
        timeZone={site.timeZone}
        isFirstPage={!after}
        eagerFirst={!after && !sections}
        headingLevel={sections ? 3 : 2}
        empty={sections ? 'Nothing else published yet.' : 'Nothing published yet.'}
      />
      {after ? null : <SubscribeForm id="home-subscribe" />}
    </>
  );
}
