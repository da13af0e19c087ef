import * as ipaddr from 'ipaddr.js';

/**
 * What a webhook may connect to. `public`: a global unicast address. `private`: reachable only
 * inside a network (loopback, RFC 1918, link-local incl. the cloud metadata address, CGNAT,
 * unique-local); allowed only with ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS. `unusable`: never a
 * receiver (unspecified, multicast, broadcast, documentation and other reserved blocks, tunnels).
 */
export type AddressClass = { kind: 'public' } | { kind: 'private' | 'unusable'; range: string };

const PRIVATE_V4 = new Set(['loopback', 'private', 'linkLocal', 'carrierGradeNat']);
const PRIVATE_V6 = new Set(['loopback', 'linkLocal', 'uniqueLocal', 'deprecatedSiteLocal']);
// Forms that carry an IPv4 address in their low 32 bits and reach it: judged by that address.
const EMBEDDED_V4 = new Set(['ipv4Mapped', 'rfc6052', 'rfc6145']);
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

export function classifyAddress(address: string): AddressClass {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // Zone ids (fe80::1%eth0) only ever name link-local addresses.
    parsed = ipaddr.parse(address.replace(/%.*$/, ''));
  } catch {
    return { kind: 'unusable', range: 'not an IP address' };
  }
  if (parsed.kind() === 'ipv4') return classifyV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (EMBEDDED_V4.has(range)) {
    const parts = v6.parts;
    const v4 = new ipaddr.IPv4([parts[6] >> 8, parts[6] & 0xff, parts[7] >> 8, parts[7] & 0xff]);
    const inner = classifyV4(v4);
    return inner.kind === 'public' ? inner : { kind: inner.kind, range: `${range} ${inner.range}` };
  }
  if (PRIVATE_V6.has(range)) return { kind: 'private', range };
  // Outside 2000::/3 nothing is a routable unicast receiver (e.g. the deprecated ::a.b.c.d form).
  if (range !== 'unicast' || !v6.match(GLOBAL_UNICAST_V6)) return { kind: 'unusable', range };
  return { kind: 'public' };
}

function classifyV4(v4: ipaddr.IPv4): AddressClass {
  const range = v4.range();
  if (range === 'unicast') return { kind: 'public' };
  if (PRIVATE_V4.has(range)) return { kind: 'private', range };
  return { kind: 'unusable', range };
}
