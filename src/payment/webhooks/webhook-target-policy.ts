// Which URLs a webhook may point at, so the service cannot be made to call into its own network
// (server-side request forgery): https only, and only to public addresses. Pure: the host name is
// resolved by an injected function, and the answer lists the addresses checked so the caller
// connects to one of them and nothing else (a second resolution could answer differently).
//
// The address ranges are ipaddr.js's (its range() names the special-purpose registries of IANA);
// this file only decides which of them are public.
import ipaddr from 'ipaddr.js';

/** Every address a host name resolves to (IPv4 and IPv6); rejects when it does not resolve. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface WebhookTargetOptions {
  /**
   * Development mode: loopback targets are allowed too, and `http` to them. Never a private or
   * other non-public address.
   */
  allowInsecure: boolean;
  resolve: ResolveHost;
}

export type WebhookTargetCheck = { ok: true; url: URL; addresses: string[] } | { ok: false; reason: string };

/** IPv6 global unicast (RFC 4291): everything public in IPv6 lies in it. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 address it reaches. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * True for an address any host on the Internet could have: not private, loopback, link-local
 * (which holds the cloud metadata address 169.254.169.254), unique-local (fd00:ec2::254), shared
 * (CGNAT), multicast, broadcast, unspecified, documentation, benchmarking or otherwise reserved.
 * An IPv4-mapped or NAT64 IPv6 address is judged by the IPv4 address it carries. Anything that is
 * not an IP address is not public.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address) || !isCanonicalLiteral(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.zoneId !== undefined) return false;
  if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
  if (v6.match(NAT64_WELL_KNOWN)) return isPublicAddress(embeddedIpv4(v6).toString());
  // 6to4, Teredo and the other tunnels reach an IPv4 address this check cannot see: refused.
  return v6.match(GLOBAL_UNICAST_V6) && v6.range() === 'unicast';
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string): boolean {
  if (!ipaddr.isValid(address) || !isCanonicalLiteral(address)) return false;
  return ipaddr.process(address).range() === 'loopback';
}

/**
 * Whether the service may send webhooks to `url`. A host name is resolved and every address it
 * resolves to must pass (one bad address would let a resolver pick it later); the addresses that
 * passed come back for the caller to connect to.
 */
export async function checkWebhookTarget(
  url: string,
  options: WebhookTargetOptions,
): Promise<WebhookTargetCheck> {
  if (!URL.canParse(url)) return refuse('is not an absolute URL');
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    return refuse(`must use https (got ${target.protocol.slice(0, -1)})`);
  if (target.protocol === 'http:' && !options.allowInsecure) return refuse('must use https');
  if (target.username !== '' || target.password !== '')
    return refuse('may not carry a user name or password');
  if (target.search !== '' || target.hash !== '')
    return refuse('may not carry a query or fragment (notifications go to <webhookUrl>/pix)');
  if (target.port === '0') return refuse('may not use port 0');

  const literal = ipLiteral(target.hostname);
  let addresses: string[];
  if (literal !== undefined) {
    addresses = [literal];
  } else {
    try {
      addresses = await options.resolve(target.hostname);
    } catch {
      return refuse(`has a host name that does not resolve (${target.hostname})`);
    }
    if (addresses.length === 0) return refuse(`has a host name that does not resolve (${target.hostname})`);
  }

  for (const address of addresses) {
    const refusal = addressRefusal(address, target.protocol, options.allowInsecure);
    if (refusal === undefined) continue;
    // A resolved address is not named: the answer would tell a client what an internal name
    // resolves to.
    return refuse(
      literal === undefined
        ? `resolves to ${RESOLVED_REFUSALS[refusal]}`
        : `is ${address}, ${LITERAL_REFUSALS[refusal]}`,
    );
  }
  return { ok: true, url: target, addresses };
}

type AddressRefusal = 'plain-http-not-loopback' | 'loopback-not-allowed' | 'not-public';

const INSECURE_ONLY = '(allowed only with PIX_WEBHOOK_ALLOW_INSECURE)';
const HTTP_LOOPBACK_ONLY = '(plain http is for local development only)';

const LITERAL_REFUSALS: Readonly<Record<AddressRefusal, string>> = {
  'plain-http-not-loopback': `not a loopback address ${HTTP_LOOPBACK_ONLY}`,
  'loopback-not-allowed': `a loopback address ${INSECURE_ONLY}`,
  'not-public': 'not a public address',
};

const RESOLVED_REFUSALS: Readonly<Record<AddressRefusal, string>> = {
  'plain-http-not-loopback': `an address that is not loopback ${HTTP_LOOPBACK_ONLY}`,
  'loopback-not-allowed': `a loopback address ${INSECURE_ONLY}`,
  'not-public': 'an address that is not public',
};

/** Why `address` may not be a target, or undefined when it may. */
function addressRefusal(
  address: string,
  protocol: string,
  allowInsecure: boolean,
): AddressRefusal | undefined {
  const loopback = isLoopbackAddress(address);
  if (protocol === 'http:') return loopback ? undefined : 'plain-http-not-loopback';
  if (isPublicAddress(address)) return undefined;
  if (loopback) return allowInsecure ? undefined : 'loopback-not-allowed';
  return 'not-public';
}

/** The address a URL's host names directly (`10.0.0.1`, `[::1]`), or undefined for a host name. */
function ipLiteral(hostname: string): string | undefined {
  // The URL parser has already turned every IPv4 spelling (0x7f.1, 2130706433) into dotted decimal
  // and put IPv6 in brackets.
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1);
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? hostname : undefined;
}

/**
 * ipaddr.js also reads IPv4 in octal, hexadecimal and fewer than four parts (`0x7f.1`); a resolver
 * answers in dotted decimal, and anything else is refused rather than guessed at.
 */
function isCanonicalLiteral(address: string): boolean {
  return address.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(address);
}

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return new ipaddr.IPv4(address.toByteArray().slice(12));
}

function refuse(reason: string): WebhookTargetCheck {
  return { ok: false, reason };
}
