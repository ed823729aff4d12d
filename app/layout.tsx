import type { Metadata, Viewport } from 'next';
import { env } from '@/lib/env';
import { siteAlternates, siteOpenGraph } from '@/lib/site/metadata';
import { getSiteSettings } from '@/lib/site/settings';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const site = await getSiteSettings();
  return {
    metadataBase: new URL(env().SITE_URL),
    title: { default: site.title, template: `%s — ${site.title}` },
    description: site.description,
    alternates: siteAlternates(site),
    openGraph: siteOpenGraph(site),
  };
}

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fbfaf7' },
    { media: '(prefers-color-scheme: dark)', color: '#16171a' },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { locale } = await getSiteSettings();
  return (
    <html lang={locale}>
      <body>{children}</body>
    </html>
  );
}
