import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { encodeIntegratedState } from './integrity.ts';

import { MESSAGE_ACK, MESSAGE_SYNC, SYNC_STEP2 } from '../../src/protocol/messages.ts';

// The message types are the wire contract shared with the client (src/protocol/messages.ts);
// this file encodes the server's messages.
export {
  MESSAGE_ACK,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '../../src/protocol/messages.ts';

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
