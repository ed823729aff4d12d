import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which addresses a webhook may be sent to. An allow-list: public unicast only (IPv4, and IPv6 in
 * global unicast 2000::/3), so loopback, private, link-local, unique-local, CGNAT, multicast,
 * unspecified, documentation/reserved, and the IPv6 forms that reach IPv4 through translation
 * (6to4, NAT64, Teredo, IPv4-compatible) are all refused; an IPv4-mapped IPv6 address is judged as
 * the IPv4 address it is. Pure.
 */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  unspecified: 'an unspecified address',
};

/** Why this address may not be a webhook's target, or null when it is a public one. */
export function forbiddenAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  // Only the canonical forms DNS and URLs produce: ipaddr.js alone would also read `1.2.3` or `2130706433`.
  if (!isIP(bare)) return `${address} is not an IP address`;
  // process(): `::ffff:127.0.0.1` becomes 127.0.0.1, judged as IPv4.
  const ip = ipaddr.process(bare);
  const range = ip.range();
  if (range === 'unicast' && (ip.kind() === 'ipv4' || ip.match(GLOBAL_UNICAST_V6))) return null;
  return `${ip.toString()} is ${RANGE_NAMES[range] ?? 'a reserved address'}`;
}
