import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import { CLOSE, isFinalClose, TERMINATED } from './close-codes.ts';
import { SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from './messages.ts';

describe('the wire contract', () => {
  it('numbers sync subtypes as y-protocols does', () => {
    expect([SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE]).toEqual([
      syncProtocol.messageYjsSyncStep1,
      syncProtocol.messageYjsSyncStep2,
      syncProtocol.messageYjsUpdate,
    ]);
  });

  it('makes the client stop exactly on the codes that retrying cannot fix', () => {
    const final = Object.entries(CLOSE).filter(([, code]) => isFinalClose(code));
    expect(final.map(([name]) => name).sort()).toEqual(
      [
        'BAD_REQUEST',
        'CLIENT_ID_CONFLICT',
        'FLASHBOOK_FULL',
        'FORBIDDEN_CHANGE',
        'LINK_REPLACED',
        'NOT_FOUND',
        'RATE_LIMITED',
        'TOO_LARGE',
        'UNAUTHORIZED',
      ].sort(),
    );
    expect(isFinalClose(TERMINATED)).toBe(false);
    expect(isFinalClose(CLOSE.TRY_AGAIN_LATER)).toBe(false); // not stored for now: resent later
  });
});
