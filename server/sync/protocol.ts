import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { encodeIntegratedState } from './integrity.ts';

/**
 * The y-websocket wire protocol: each binary message starts with a varUint type. Types 0 (sync)
 * and 1 (awareness) carry y-protocols payloads; 3 asks for all awareness states; 2 (auth) is
 * defined by the client but unused here (access is decided once, at connection time).
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Server to client only, and only to clients that asked with `ack=1`: a varUint, the number of
 * sync step 2 and update messages received on this connection that are now stored. Our client
 * counts what it sent the same way, to show exactly which changes the server holds.
 */
export const MESSAGE_ACK = 100;

export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

/** Everything in `doc` that a peer with `stateVector` is missing (pending parts excepted). */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  // syncProtocol.writeSyncStep2 with encodeIntegratedState instead of Y.encodeStateAsUpdate.
  encoding.writeVarUint(e, SYNC_STEP2);
  encoding.writeVarUint8Array(e, encodeIntegratedState(doc, stateVector));
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAck(storedMessages: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_ACK);
  encoding.writeVarUint(e, storedMessages);
  return encoding.toUint8Array(e);
}
