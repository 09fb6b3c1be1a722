import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import type { Client } from './server.ts';

/** Raw y-websocket frames for the abuse tests. */

export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export const updateMessage = (update: Uint8Array): Uint8Array => syncMessage(2, update);

/** A copy of a client's document that is not connected to anything. */
export function copyOf(client: Client | Y.Doc, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const source = client instanceof Y.Doc ? client : client.doc;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

/** The updates `change` makes on `doc`, captured instead of sent. */
export function capture(doc: Y.Doc, change: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on('update', on);
  change();
  doc.off('update', on);
  return updates;
}

/** An update holding nothing but delete ranges: `ranges` per client, each [clock, len]. */
export function deleteSetUpdate(ranges: Map<number, [number, number][]>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, ranges.size);
  for (const [client, list] of ranges) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, list.length);
    for (const [clock, len] of list) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}

/** Collects the acknowledgements (message type 100) a raw socket receives. */
export function acksOf(ws: WebSocket): number[] {
  const acks: number[] = [];
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) === 100) acks.push(decoding.readVarUint(decoder));
  });
  return acks;
}
