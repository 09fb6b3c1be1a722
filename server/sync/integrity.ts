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
  const inspected = inspectUpdate(update);
  return 'problem' in inspected ? inspected.problem : undefined;
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** The decoded update, or why it is not something Yjs writes. */
export function inspectUpdate(update: Uint8Array): DecodedUpdate | { problem: string } {
  const problem = (text: string) => ({ problem: text });
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return problem('update cannot be decoded');
  }
  const nextClock = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const end = clock + struct.length;
    if (!(struct.length >= 1) || !Number.isSafeInteger(end)) {
      return problem('struct of invalid length');
    }
    const expected = nextClock.get(client);
    if (expected !== undefined && clock !== expected) return problem('structs are not contiguous');
    nextClock.set(client, end);
  }
  for (const ranges of decoded.ds.clients.values()) {
    let end = 0;
    for (const { clock, len } of ranges) {
      if (!(len >= 1) || clock < end || !Number.isSafeInteger(clock + len)) {
        return problem('delete ranges are unsorted or overlap');
      }
      end = clock + len;
    }
  }
  return decoded;
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

/**
 * Whether `update` rewrites history: a struct at a (client, clock) the doc already has, with a
 * different left or right neighbour or different text. Two Y.Docs writing under one client id
 * produce exactly that; Yjs keeps the first and silently skips the second, so the second writer
 * would be acknowledged while its text exists nowhere else. An honest client resending what the
 * server has (a sync race) sends identical structs and passes.
 */
export function rewritesHistory(doc: Y.Doc, { structs }: DecodedUpdate): boolean {
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { client, clock } = struct.id;
    const known = doc.store.clients.get(client);
    if (!known || clock >= Y.getState(doc.store, client)) continue;
    const existing = known[Y.findIndexSS(known, clock)];
    if (!(existing instanceof Y.Item)) continue; // garbage-collected: nothing left to compare
    const offset = clock - existing.id.clock;
    if (offset === 0) {
      if (!sameId(existing.origin, struct.origin)) return true;
    } else if (!sameId(struct.origin, Y.createID(client, clock - 1))) {
      return true;
    }
    // A right origin is only comparable where both structs end at the same clock.
    const existingEnd = existing.id.clock + existing.length;
    if (
      existingEnd === clock + struct.length &&
      !sameId(existing.rightOrigin, struct.rightOrigin)
    ) {
      return true;
    }
    if (existing.content instanceof Y.ContentString && struct.content instanceof Y.ContentString) {
      const overlap = Math.min(existingEnd, clock + struct.length) - clock;
      const a = existing.content.str.slice(offset, offset + overlap);
      const b = struct.content.str.slice(0, overlap);
      if (a !== b) return true;
    }
  }
  return false;
}

function sameId(a: Y.ID | null, b: Y.ID | null): boolean {
  return a === null || b === null ? a === b : a.client === b.client && a.clock === b.clock;
}
