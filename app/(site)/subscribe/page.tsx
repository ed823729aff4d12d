import type { Metadata } from 'next';
import { SubscribeForm } from '@/components/site/subscribe-form';
import { subscribeErrorMessage } from '@/lib/members/form-errors';
import { firstParam } from '@/lib/params';

// Per request: it shows the reason a sign-up was refused (?error=<code>).
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Subscribe' };

/** The sign-up form on a page of its own, where a refused sign-up comes back with its reason. */
export default async function SubscribePage({ searchParams }: Props) {
  const error = subscribeErrorMessage(firstParam((await searchParams).error));
  return (
    <div className="member-page">
      <h1 className="page-title">Subscribe</h1>
      <p>New posts in your inbox, as soon as they are published.</p>
      <SubscribeForm id="subscribe" heading="Your email" error={error} />
    </div>
  );
}
