import * as Y from 'yjs';

/**
 * Whether an update would change `doc`: new items, or deletions the doc does not have yet. Used
 * only to decide whether a dropped viewer update is worth logging, so it errs towards "yes".
 */
export function carriesChanges(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    const known = Y.decodeStateVector(Y.encodeStateVector(doc));
    const offered = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
    for (const [client, clock] of offered) if (clock > (known.get(client) ?? 0)) return true;
    const { ds } = Y.decodeUpdate(update);
    if (ds.clients.size === 0) return false;
    const current = Y.createDeleteSetFromStructStore(doc.store);
    return !Y.equalDeleteSets(Y.mergeDeleteSets([current, ds]), current);
  } catch {
    return true;
  }
}
