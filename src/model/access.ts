import * as Y from 'yjs';
import { ROOT } from './schema.ts';

/**
 * The roots of a flashbook Y.Doc and the defensive accessors that reading, commands and text
 * editing share: whatever another client wrote, a wrong type reads as empty, never as an exception.
 */

export type YMap = Y.Map<unknown>;

export const meta = (doc: Y.Doc): YMap => doc.getMap(ROOT.meta);
export const postsMap = (doc: Y.Doc): Y.Map<YMap> => doc.getMap(ROOT.posts);
export const slidesMap = (doc: Y.Doc): Y.Map<YMap> => doc.getMap(ROOT.slides);

/** The root types whose changes the user can undo. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Y.UndoManager takes any shared type
export const undoScope = (doc: Y.Doc): Y.AbstractType<any>[] => [
  meta(doc),
  postsMap(doc),
  slidesMap(doc),
];

export function str(map: YMap | undefined, key: string): string {
  const v = map?.get(key);
  return typeof v === 'string' ? v : '';
}

export function text(map: YMap | undefined, key: string): string {
  const v = map?.get(key);
  return v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : '';
}

export function asMap(value: unknown): YMap | undefined {
  return value instanceof Y.Map ? (value as YMap) : undefined;
}
