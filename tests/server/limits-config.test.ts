import { describe, expect, it } from 'vitest';
import { optionsFromEnv, resolveConfig } from '../../server/config.ts';

/** Every documented limit (docs/server.md, "Limits") is read from its environment variable. */
describe('sync limits from the environment', () => {
  it('reads each variable into the resolved configuration', () => {
    const env = {
      MAX_BUFFERED_BYTES: '40000000',
      PING_INTERVAL_MS: '10000',
      RATE_MESSAGES_PER_SECOND: '11',
      RATE_MESSAGE_BURST: '12',
      RATE_BYTES_PER_SECOND: '13',
      RATE_BYTE_BURST: '99999999',
      FLASHBOOK_BYTES_PER_MINUTE: '14',
      FLASHBOOK_BYTE_BURST: '99999998',
      MAX_DOC_BYTES: '1000000',
      MAX_LOG_BYTES: '99999997',
      COMPACT_AFTER_UPDATES: '15',
      COMPACT_AFTER_BYTES: '16',
      MAX_PENDING_BYTES: '17',
      AWARENESS_MAX_IDS: '2',
      AWARENESS_MAX_STATE_BYTES: '18',
      AWARENESS_FLUSH_MS: '19',
      AWARENESS_CHANGES_PER_SECOND: '20',
      AWARENESS_CHANGE_BURST: '21',
      AWARENESS_FRAMES_PER_SECOND: '22',
      AWARENESS_FRAME_BURST: '23',
    };
    const config = resolveConfig(optionsFromEnv(env));
    expect(config.maxBufferedBytes).toBe(40_000_000);
    expect(config.pingIntervalMs).toBe(10_000);
    expect(config.compactAfterUpdates).toBe(15);
    expect(config.rateLimit).toEqual({
      messagesPerSecond: 11,
      messageBurst: 12,
      bytesPerSecond: 13,
      byteBurst: 99_999_999,
    });
    expect(config.sync).toEqual({
      awareness: {
        maxIdsPerConnection: 2,
        maxStateBytes: 18,
        flushMs: 19,
        changesPerSecond: 20,
        changeBurst: 21,
        framesPerSecond: 22,
        frameBurst: 23,
      },
      maxPendingBytes: 17,
      maxDocBytes: 1_000_000,
      compactAfterBytes: 16,
      maxLogBytes: 99_999_997,
      bytesPerMinute: 14,
      byteBurst: 99_999_998,
    });
  });

  it('keeps the document limit below what a reader can be sent', () => {
    expect(resolveConfig({}).sync.maxDocBytes).toBeLessThanOrEqual(
      resolveConfig({}).maxBufferedBytes,
    );
    expect(resolveConfig({ maxBufferedBytes: 1000 }).sync.maxDocBytes).toBe(1000);
    expect(() => resolveConfig({ maxBufferedBytes: 1000, sync: { maxDocBytes: 2000 } })).toThrow(
      /maxDocBytes/,
    );
    expect(() => optionsFromEnv({ MAX_DOC_BYTES: '1 GB' })).toThrow(/MAX_DOC_BYTES/);
  });
});
