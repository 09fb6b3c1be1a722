import * as Y from 'yjs';

/**
 * Defences against malformed Yjs updates from an editor's connection, found by the frame fuzzer
 * (tests/server/abuse-frames.test.ts). Yjs trusts its input: some mutated updates are integrated
 * half-way before it throws, or are accepted but leave the server's store in a state whose full
 * encoding no longer applies in a fresh Y.Doc, so every newcomer's first sync (and every reload
 * from a compacted row) failed: one bad frame broke a flashbook for everyone, for good. Three
 * measures close the holes the fuzzer found:
 *
 * 1. `malformedUpdate` refuses, before anything is applied, an update Yjs could not have written:
 *    one that does not decode completely, structs of a client that are not contiguous, delete
 *    ranges that are unsorted or overlap.
 * 2. The room holds back the changes of an update until `Y.applyUpdate` returned; if it threw
 *    after integrating part of it, nothing was stored or forwarded, and the room is reloaded.
 * 3. `encodeIntegratedState` leaves pending structs and deletions (whose dependencies never
 *    arrived) out of sync replies and compaction. They were never emitted as an update, so no
 *    client has them from us; an honest sender still holds them and they are forwarded the
 *    moment their dependencies arrive and they integrate.
 */

/** Why `update` is not something Yjs writes, or undefined when it looks well-formed. */
export function malformedUpdate(update: Uint8Array): string | undefined {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return 'update cannot be decoded';
  }
  const nextClock = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const end = clock + struct.length;
    if (!(struct.length >= 1) || !Number.isSafeInteger(end)) return 'struct of invalid length';
    const expected = nextClock.get(client);
    if (expected !== undefined && clock !== expected) return 'structs are not contiguous';
    nextClock.set(client, end);
  }
  for (const ranges of decoded.ds.clients.values()) {
    let end = 0;
    for (const { clock, len } of ranges) {
      if (!(len >= 1) || clock < end || !Number.isSafeInteger(clock + len)) {
        return 'delete ranges are unsorted or overlap';
      }
      end = clock + len;
    }
  }
  return undefined;
}

/** `Y.encodeStateAsUpdate` of what is integrated in `doc`, without its pending parts (see 3.). */
export function encodeIntegratedState(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const store = doc.store;
  const { pendingStructs, pendingDs } = store;
  if (!pendingStructs && !pendingDs) return Y.encodeStateAsUpdate(doc, stateVector);
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}
