import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses an outgoing request (webhook, chat, tracker) must not reach unless the installation
 * allows it (OUTBOUND_ALLOW_PRIVATE): a URL an admin types would otherwise read the cloud's metadata
 * service (169.254.169.254), the database or an admin page on the loopback (SSRF).
 */
// Two lists: a BlockList also matches IPv4 addresses against IPv4-mapped IPv6 subnets.
const PRIVATE_V4 = new BlockList();
const PRIVATE_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  PRIVATE_V4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['2002::', 16], // 6to4 of any IPv4 address
] as const)
  PRIVATE_V6.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address (v4 or v6, v4-mapped included) is private, loopback, link-local or reserved. */
export function isPrivateAddress(address: string): boolean {
  // IPv4-mapped IPv6 ("::ffff:169.254.169.254", which URLs write "::ffff:a9fe:a9fe"): its IPv4 decides.
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return isPrivateAddress(dotted[1]);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const family = isIP(address);
  if (family === 0) return true; // not an address: nothing to send to
  return family === 4 ? PRIVATE_V4.check(address, 'ipv4') : PRIVATE_V6.check(address, 'ipv6');
}

/**
 * Why `url` may not be called, or null. The host's every address is checked as the resolver gives
 * them now: a name that resolves to a private address is refused like the address itself. Called
 * when the URL is saved and again before each request (a name may be pointed elsewhere meanwhile).
 */
export async function outboundRefusal(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return 'only http and https URLs are called';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch {
      return `${host} does not resolve`;
    }
  }
  const refused = addresses.find(isPrivateAddress);
  return refused === undefined
    ? null
    : `${host} is a private, loopback or link-local address (${refused}); set OUTBOUND_ALLOW_PRIVATE=true to allow it`;
}
