import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** IPv4-compatible IPv6 (deprecated): no public host is reached this way, and a stack may route it to the IPv4 address. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
/** NAT64's well-known prefix: a DNS64 network reaches IPv4-only hosts here, the IPv4 address in the last 32 bits. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
/** NAT64 prefixes for local use: the embedded address's place depends on the operator's prefix length. */
const NAT64_LOCAL_USE = ipaddr.parseCIDR('64:ff9b:1::/48');

/**
 * Whether an IP address is a public unicast one. Loopback, private, link-local (cloud
 * metadata at 169.254.169.254), unique-local, carrier-grade NAT, multicast, reserved and
 * unspecified ranges are not. An IPv6 address that carries an IPv4 one is judged as that
 * address (IPv4-mapped, well-known NAT64) or refused (IPv4-compatible, local-use NAT64;
 * 6to4, Teredo and the others are not `unicast` to begin with).
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address).range() === 'unicast';
  const ipv6 = family === 6 ? parseIpv6(address) : undefined;
  if (!ipv6) return false;
  if (ipv6.isIPv4MappedAddress()) return isPublicAddress(ipv6.toIPv4Address().toString());
  if (ipv6.match(NAT64_WELL_KNOWN)) return isPublicAddress(lastFourBytes(ipv6));
  if (ipv6.match(IPV4_COMPATIBLE) || ipv6.match(NAT64_LOCAL_USE)) return false;
  return ipv6.range() === 'unicast';
}

/**
 * Parses IPv6 from the URL parser's canonical form: ipaddr.js reads a dotted tail after `::`
 * (`::127.0.0.1`) as IPv4-mapped, where a socket connects to the IPv4-compatible address.
 */
function parseIpv6(address: string): ipaddr.IPv6 | undefined {
  try {
    return ipaddr.IPv6.parse(bareHost(new URL(`http://[${address}]/`).hostname));
  } catch {
    return undefined;
  }
}

function lastFourBytes(ipv6: ipaddr.IPv6): string {
  return ipv6.toByteArray().slice(12).join('.');
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
