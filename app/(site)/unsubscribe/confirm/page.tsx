import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { isUnsubscribeLink } from '@/lib/members/links';
import { firstParam } from '@/lib/params';

// Per request: the page carries the member's signed link.
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Unsubscribe', robots: { index: false } };

/** Asks before unsubscribing (a mail scanner that follows the link changes nothing); the button posts the signed link. */
export default async function UnsubscribeConfirmPage({ searchParams }: Props) {
  const raw = await searchParams;
  const link = { m: firstParam(raw.m) ?? '', s: firstParam(raw.s) ?? '' };
  if (!isUnsubscribeLink(link)) redirect('/unsubscribe/invalid');
  return (
    <div className="member-page">
      <h1 className="page-title">Unsubscribe</h1>
      <p>Stop receiving new posts by email?</p>
      <form method="post" action={`/unsubscribe?${new URLSearchParams(link)}`}>
        <button type="submit">Unsubscribe</button>
      </form>
    </div>
  );
}
