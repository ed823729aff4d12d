import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

// Served from the page cache, like any reader page.
export const revalidate = 3600;
export const dynamicParams = false;

const OUTCOMES = {
  done: { title: 'You are unsubscribed', text: 'You will get no more posts by email. Changed your mind? You can subscribe again at any time.' },
  invalid: { title: 'This link is not valid', text: 'It may have been altered. Use the unsubscribe link in the latest mail you received from us.' },
} as const;

type Props = { params: Promise<{ outcome: string }> };

export function generateStaticParams() {
  return Object.keys(OUTCOMES).map((outcome) => ({ outcome }));
}

const outcomeOf = (key: string) => (Object.hasOwn(OUTCOMES, key) ? OUTCOMES[key as keyof typeof OUTCOMES] : null);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: outcomeOf((await params).outcome)?.title, robots: { index: false } };
}

/** Where the unsubscribe button leads. */
export default async function UnsubscribeOutcomePage({ params }: Props) {
  const outcome = outcomeOf((await params).outcome);
  if (!outcome) notFound();
  return (
    <div className="member-page">
      <h1 className="page-title">{outcome.title}</h1>
      <p>{outcome.text}</p>
      <Link href="/subscribe">Subscribe</Link>
    </div>
  );
}
