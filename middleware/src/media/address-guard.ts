import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address is a public unicast one. Loopback, private, link-local (cloud
 * metadata at 169.254.169.254), unique-local, carrier-grade NAT, multicast, reserved and
 * unspecified ranges are not; an IPv4-mapped IPv6 address is judged as its IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** A host as written in a URL, without IPv6 brackets. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
  constructor(readonly address: string) {
    super(`the host resolves to ${address}, which is not a public address`);
  }
}

/** A resolver with dns.lookup's `all: true` form. */
export type Resolver = (
  hostname: string,
  options: { all: true; family?: number },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A DNS lookup for http(s).request that refuses any answer with a non-public address. The
 * check runs on the addresses the socket connects to, after resolution, so a name that
 * resolves to a private address (or is re-pointed there later) is refused.
 */
export const publicOnlyLookup =
  (resolve: Resolver = dnsLookup): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname, { family: options.family as number | undefined, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const forbidden = addresses.find((entry) => !isPublicAddress(entry.address));
      if (forbidden) return callback(new ForbiddenAddressError(forbidden.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };

/** Why a URL's host may not be fetched before any connection, or undefined: literal IPs and localhost names. */
export function literalHostProblem(hostname: string): string | undefined {
  const host = bareHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return 'names this machine (localhost)';
  if (isIP(host) && !isPublicAddress(host)) return `is ${host}, which is not a public address`;
  return undefined;
}
