import { NotFoundMessage } from '@/components/site/not-found-message';

/** notFound() from a reader page: the message inside the site's own layout. */
export default function SiteNotFound() {
  return <NotFoundMessage />;
}
