import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { AckTracker, syncMessageKind } from './acks.ts';

const frame = (type: number, sub?: number) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== undefined) encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
  return encoding.toUint8Array(e);
};
const STEP1 = frame(0, 0);
const STEP2 = frame(0, 1);
const UPDATE = frame(0, 2);
const AWARENESS = frame(1);

describe('syncMessageKind', () => {
  it('tells update-carrying frames from the others', () => {
    expect(syncMessageKind(STEP1)).toBeNull();
    expect(syncMessageKind(STEP2)).toBe('step2');
    expect(syncMessageKind(UPDATE.buffer)).toBe('update');
    expect(syncMessageKind(AWARENESS)).toBeNull();
    expect(syncMessageKind('text')).toBeNull();
    expect(syncMessageKind(new Uint8Array([0xff]))).toBeNull();
  });
});

describe('AckTracker', () => {
  it('does not count updates that are not local changes (read back from storage)', async () => {
    const t = new AckTracker();
    t.onSend(STEP2);
    t.noteUpdate(false);
    t.onSend(UPDATE);
    t.noteUpdate(true);
    t.onSend(UPDATE);
    await Promise.resolve();
    expect(t.pending).toBe(1);
    t.onAck(2);
    expect(t.pending).toBe(1);
    t.onAck(3);
    expect(t.pending).toBe(0);
  });

  it('counts a change sent while connected until the server stored its message', () => {
    const t = new AckTracker();
    t.onSend(STEP1);
    t.onSend(STEP2); // answer to the server's step 1: message 1
    t.noteUpdate(true);
    t.onSend(UPDATE); // message 2
    t.noteUpdate(true);
    t.onSend(UPDATE); // message 3
    expect(t.pending).toBe(2);
    t.onAck(2);
    expect(t.pending).toBe(1);
    t.onAck(3);
    expect(t.pending).toBe(0);
    expect(t.lastConfirmed).not.toBeNull();
  });

  it('counts offline changes and resolves them with the step 2 of the next connection', async () => {
    const t = new AckTracker(2); // two changes left from before a reload
    t.noteUpdate(true); // offline: the provider sends nothing
    await Promise.resolve();
    expect(t.pending).toBe(3);
    t.onSend(STEP1);
    t.onSend(STEP2);
    expect(t.pending).toBe(3);
    t.onAck(1);
    expect(t.pending).toBe(0);
  });

  it('puts changes in flight back when the socket closes before the acknowledgement', () => {
    const t = new AckTracker();
    t.onSend(STEP2);
    t.noteUpdate(true);
    t.onSend(UPDATE);
    t.onSocketClosed();
    expect(t.pending).toBe(1);
    // The next connection numbers its messages from 1 again.
    t.onSend(STEP2);
    t.onAck(1);
    expect(t.pending).toBe(0);
  });

  it('does not take an acknowledgement of older messages for newer ones', () => {
    const t = new AckTracker();
    t.onSend(STEP2);
    t.noteUpdate(true);
    t.onSend(UPDATE);
    t.onAck(1);
    expect(t.pending).toBe(1);
  });
});
