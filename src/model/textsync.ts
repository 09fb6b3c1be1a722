import * as Y from 'yjs';
import { getText, type TextRef } from './flashbook.ts';
import { isOrigin } from './origins.ts';

/** A change to a text, as Yjs reports it: retain, delete and insert steps from the start. */
export type TextDelta = readonly { retain?: number; delete?: number; insert?: unknown }[];

/**
 * Where a caret at `pos` ends up after someone else's change: text inserted before it pushes it
 * right, text deleted before it pulls it left. An insertion exactly at the caret stays after the
 * caret only when `assoc` is 1, so a remote user typing at my caret does not move it.
 */
export function transformPosition(delta: TextDelta, pos: number, assoc: -1 | 1 = -1): number {
  let index = 0; // position in the old text: retain and delete consume it, insert does not
  let shift = 0;
  for (const op of delta) {
    if (index > pos) break;
    if (op.retain !== undefined) index += op.retain;
    else if (op.delete !== undefined) {
      shift -= Math.max(0, Math.min(op.delete, pos - index));
      index += op.delete;
    } else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      if (index < pos || (index === pos && assoc === 1)) shift += len;
    }
  }
  return Math.max(0, pos + shift);
}

export interface TextChange {
  value: string;
  /** The change as a delta; empty when the text was replaced by a new Y.Text. */
  delta: TextDelta;
  /** True when the change came from this client's own edit. */
  local: boolean;
}

/**
 * Calls `onChange` whenever the text behind `ref` changes, including when the Y.Text itself is
 * replaced or created. Returns the function that stops observing.
 */
export function observeText(
  doc: Y.Doc,
  ref: TextRef,
  onChange: (change: TextChange) => void,
): () => void {
  let current = getText(doc, ref);
  const onText = (event: Y.YTextEvent) => {
    const origin = event.transaction.origin;
    onChange({
      value: event.target.toString(),
      delta: event.delta as TextDelta,
      local: event.transaction.local && isOrigin(origin),
    });
  };
  current?.observe(onText);
  // The Y.Text may appear later (a field written by an older client) or be replaced.
  const onAfter = () => {
    const next = getText(doc, ref);
    if (next === current) return;
    current?.unobserve(onText);
    current = next;
    current?.observe(onText);
    onChange({ value: current?.toString() ?? '', delta: [], local: false });
  };
  doc.on('afterTransaction', onAfter);
  return () => {
    current?.unobserve(onText);
    doc.off('afterTransaction', onAfter);
  };
}
