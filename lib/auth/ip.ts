import { env } from '@/lib/env';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The client's address for rate limiting. Next.js appends the socket address to X-Forwarded-For;
 * each trusted proxy in front (TRUST_PROXY_HOPS) appends one more. Entries left of those are the
 * client's own words and are ignored, so a forged header cannot dodge the per-IP limit.
 */
export function clientIp(source: HeaderSource): string {
  const hops = env().TRUST_PROXY_HOPS;
  const chain = (header(source, 'x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const ip = chain[chain.length - 1 - hops] ?? chain[0] ?? header(source, 'x-real-ip');
  return ip && ip.length <= 64 ? ip : 'unknown';
}
