import { safeJsonForScript } from '@/lib/format';

/** Structured data for search engines, escaped so that no field can end the script element. */
export function JsonLd({ data }: { data: Record<string, unknown> }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: safeJsonForScript(data) }} />;
}
