import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { optionsFromEnv, resolveConfig } from '../../server/config.ts';
import { addressKey, clientAddress } from '../../server/limits/address.ts';
import { KeyedCounter, KeyedRateLimiter } from '../../server/limits/buckets.ts';

/** Who a request is counted as, and the budgets themselves (the attacks: abuse-edge.test.ts). */

const req = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the TCP peer unless proxies are trusted', () => {
    expect(clientAddress(req('10.0.0.1', '203.0.113.5'), 0)).toBe('10.0.0.1');
  });

  it('takes the entry the trusted proxies appended, never one the client wrote', () => {
    // The client claims 1.1.1.1; the one proxy appended what it saw, 203.0.113.5.
    expect(clientAddress(req('10.0.0.1', '1.1.1.1, 203.0.113.5'), 1)).toBe('203.0.113.5');
    // Two proxies: the outer one appended the client, the inner one the outer proxy.
    expect(clientAddress(req('10.0.0.1', '1.1.1.1, 203.0.113.5, 10.0.0.2'), 2)).toBe('203.0.113.5');
    // Fewer entries than proxies: the leftmost there is.
    expect(clientAddress(req('10.0.0.1', '203.0.113.5'), 3)).toBe('203.0.113.5');
    // No header (a request that did not come through the proxy): the peer.
    expect(clientAddress(req('10.0.0.1'), 1)).toBe('10.0.0.1');
    // Garbage is not an address: the peer.
    expect(clientAddress(req('10.0.0.1', 'not-an-ip'), 1)).toBe('10.0.0.1');
    expect(clientAddress(req('10.0.0.1', '[2001:db8::1]:443'), 1)).toBe('2001:db8::1');
    expect(clientAddress(req('10.0.0.1', '203.0.113.5:8443'), 1)).toBe('203.0.113.5');
  });
});

describe('addressKey', () => {
  it('counts IPv4 as itself, IPv4-mapped IPv6 as IPv4 and IPv6 per /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('budgets', () => {
  it('a bucket gives its burst, then refills at its rate, and says when to retry', () => {
    let now = 0;
    const limiter = new KeyedRateLimiter({ burst: 3, perSecond: 0.5 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.take('b').ok).toBe(true);
    now += 2000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    // Full buckets carry no information and are forgotten.
    now += 120_000;
    limiter.take('c');
    expect(limiter.size).toBe(1);
  });

  it('a counter admits up to its maximum and forgets keys at zero', () => {
    const counter = new KeyedCounter(2);
    expect([counter.acquire('a'), counter.acquire('a'), counter.acquire('a')]).toEqual([
      true,
      true,
      false,
    ]);
    counter.release('a');
    expect(counter.acquire('a')).toBe(true);
    counter.release('a');
    counter.release('a');
    expect(counter.count('a')).toBe(0);
  });
});

describe('configuration', () => {
  it('reads every edge limit from the environment, with defaults for a building behind one NAT', () => {
    const defaults = resolveConfig({});
    expect(defaults).toMatchObject({
      trustProxy: 0,
      maxSocketsPerAddress: 500,
      upgradeBurstPerAddress: 500,
      upgradesPerSecondPerAddress: 5,
      handshakeTimeoutMs: 10_000,
      createBurstPerAddress: 200,
      createsPerHourPerAddress: 60,
    });
    expect(
      optionsFromEnv({
        TRUST_PROXY: '2',
        MAX_SOCKETS_PER_ADDRESS: '50',
        UPGRADE_BURST_PER_ADDRESS: '40',
        UPGRADES_PER_SECOND_PER_ADDRESS: '3',
        HANDSHAKE_TIMEOUT_MS: '5000',
        CREATE_BURST_PER_ADDRESS: '10',
        CREATES_PER_HOUR_PER_ADDRESS: '20',
      }),
    ).toMatchObject({
      trustProxy: 2,
      maxSocketsPerAddress: 50,
      upgradeBurstPerAddress: 40,
      upgradesPerSecondPerAddress: 3,
      handshakeTimeoutMs: 5000,
      createBurstPerAddress: 10,
      createsPerHourPerAddress: 20,
    });
    expect(optionsFromEnv({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(optionsFromEnv({ TRUST_PROXY: 'false' }).trustProxy).toBe(0);
    expect(() => optionsFromEnv({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
    expect(() => resolveConfig({ maxSocketsPerAddress: 0 })).toThrow(/maxSocketsPerAddress/);
  });
});
