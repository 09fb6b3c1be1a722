import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Who a request comes from, for the per-address limits (limits/).
 *
 * Without a proxy that is the TCP peer. Behind a reverse proxy every request arrives from the
 * proxy, so all clients would share one budget; with `trustProxy` = N (TRUST_PROXY), the N
 * proxies closest to the server are trusted to have appended the address they saw to
 * `X-Forwarded-For`, and the entry they appended last is the client. Entries further left were
 * written by the client itself and are never believed. Off by default: a server reachable
 * directly would otherwise let every request choose its own address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // The chain as the server sees it: client, proxies..., then the TCP peer (the last proxy).
  const chain = [...forwarded, peer];
  const candidate = chain[Math.max(0, chain.length - 1 - trustProxy)] ?? peer;
  return isIP(stripPort(candidate)) ? stripPort(candidate) : peer;
}

/** Some proxies write `1.2.3.4:5678` or `[::1]:5678`. */
function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4 ? v4[1]! : entry;
}

/**
 * The key an address is counted under. An IPv6 host usually owns a whole /64 (and picks new
 * addresses in it at will), so IPv6 addresses are counted per /64; an IPv4-mapped IPv6 address
 * is its IPv4 address.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const hextets = expandIPv6(address);
  return hextets ? `${hextets.slice(0, 4).join(':')}::/64` : address;
}

function expandIPv6(address: string): string[] | undefined {
  const zoneless = address.split('%')[0]!;
  const [head, tail] = zoneless.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4 handled above; others are rare) counts as two hextets.
  const missing = 8 - left.length - right.length;
  if (tail === undefined && missing !== 0) return undefined;
  const all = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return all.map((h) => (h.includes('.') ? h : parseInt(h, 16).toString(16)));
}
