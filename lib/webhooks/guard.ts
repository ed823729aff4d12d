import dns from 'node:dns';
import net from 'node:net';
import { forbiddenAddressReason } from './address';

/**
 * Where a webhook may go, decided on addresses, not names: when an endpoint is saved (every address
 * its host resolves to) and again for every request, on the address the socket actually connects to
 * (`guardedLookup`), so a name that resolves elsewhere by then (DNS rebinding) is refused too.
 * `allowPrivate` is WEBHOOK_ALLOW_PRIVATE, passed in so each step can be tested without the environment.
 */
export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}

const ALLOW_HINT = 'webhooks may only go to public addresses (WEBHOOK_ALLOW_PRIVATE is false)';

/** The host of a URL as an address or a name: `[::1]` → `::1`. */
export const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/** The refusal for these addresses, or null when every one is allowed. */
function refusal(host: string, addresses: string[], allowPrivate: boolean): RefusedAddressError | null {
  if (allowPrivate) return null;
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) return new RefusedAddressError(host === address ? `${reason}: ${ALLOW_HINT}.` : `${host} resolves to ${reason}: ${ALLOW_HINT}.`);
  }
  return null;
}

/** Refuses an IP-literal host at once (node never calls `lookup` for those); names are left to `guardedLookup`. */
export function literalHostRefusal(url: URL, allowPrivate: boolean): RefusedAddressError | null {
  const host = bareHost(url);
  return net.isIP(host) ? refusal(host, [host], allowPrivate) : null;
}

/**
 * Why an endpoint's URL may not be saved, after resolving its host (every address), or null.
 * `resolve` is dns.lookup's promise form unless a test gives another.
 */
export async function targetProblem(
  url: URL,
  allowPrivate: boolean,
  resolve: (host: string) => Promise<{ address: string }[]> = (host) => dns.promises.lookup(host, { all: true, verbatim: true }),
): Promise<string | null> {
  const host = bareHost(url);
  if (net.isIP(host)) return refusal(host, [host], allowPrivate)?.message ?? null;
  let addresses: { address: string }[];
  try {
    addresses = await resolve(host);
  } catch {
    return `${host} could not be found (DNS).`;
  }
  if (addresses.length === 0) return `${host} could not be found (DNS).`;
  return (
    refusal(
      host,
      addresses.map((a) => a.address),
      allowPrivate,
    )?.message ?? null
  );
}

/**
 * A `lookup` for http(s).request: resolves as node would, then refuses the connection when any
 * address the name resolves to is not allowed, so the socket can only ever open to a checked address.
 */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', undefined);
      const refused =
        addresses.length === 0
          ? new RefusedAddressError(`${hostname} has no address.`)
          : refusal(
              hostname,
              addresses.map((a) => a.address),
              allowPrivate,
            );
      if (refused) return callback(refused, '', undefined);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
