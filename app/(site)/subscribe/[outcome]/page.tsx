import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

// Served from the page cache, like any reader page.
export const revalidate = 3600;
export const dynamicParams = false;

const OUTCOMES = {
  sent: {
    title: 'Check your inbox',
    text: 'If that address can subscribe, a mail with a confirmation link is on its way. Open the link to start receiving posts; nothing is sent until you do.',
  },
  confirmed: { title: 'You are subscribed', text: 'Thank you: new posts will arrive in your inbox. Every mail has a link to unsubscribe.' },
  expired: { title: 'This link has expired', text: 'Confirmation links work for 48 hours. Subscribe again and we will send a new one.' },
  invalid: { title: 'This link is not valid', text: 'It may have been altered or is no longer in use. Subscribe again and we will send a new one.' },
} as const;

type Props = { params: Promise<{ outcome: string }> };

export function generateStaticParams() {
  return Object.keys(OUTCOMES).map((outcome) => ({ outcome }));
}

const outcomeOf = (key: string) => (Object.hasOwn(OUTCOMES, key) ? OUTCOMES[key as keyof typeof OUTCOMES] : null);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const outcome = outcomeOf((await params).outcome);
  return { title: outcome?.title, robots: { index: false } };
}

/** Where the sign-up form and the confirmation link lead: the same words for every address. */
export default async function SubscribeOutcomePage({ params }: Props) {
  const { outcome: key } = await params;
  const outcome = outcomeOf(key);
  if (!outcome) notFound();
  return (
    <div className="member-page">
      <h1 className="page-title">{outcome.title}</h1>
      <p>{outcome.text}</p>
      {key === 'expired' || key === 'invalid' ? <Link href="/subscribe">Subscribe again</Link> : <Link href="/">Back to the latest posts</Link>}
    </div>
  );
}
