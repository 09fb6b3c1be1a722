import * as Y from 'yjs';
import { IMPORT, LOCAL, RESTORE } from '../model/origins.ts';
import { undoScope } from '../model/flashbook.ts';

/**
 * One undo history per user and flashbook, covering the form fields, structure changes and the rich
 * text editor alike. It tracks only this user's own origins, so undo never reverts someone else's
 * edit.
 *
 * The rich text editor (y-tiptap) is handed this manager and destroys it when its view is destroyed,
 * i.e. on every change of the selected slide. We keep the manager alive across editors: `destroy()`
 * only drops the listeners an editor added; `dispose()` really ends it.
 */
export class SessionUndoManager extends Y.UndoManager {
  private readonly own = new Set<unknown>();

  constructor(doc: Y.Doc) {
    super(undoScope(doc), {
      // The rich text editor adds its own origin when it loads (RichTextEditor.tsx): Tiptap is
      // loaded on demand, not with the session.
      trackedOrigins: new Set<unknown>([LOCAL, IMPORT, RESTORE]),
      captureTimeout: 500,
    });
  }

  /** Subscribes a listener that survives editor changes. */
  listen(name: 'stack-item-added' | 'stack-item-popped' | 'stack-cleared', f: () => void): void {
    this.own.add(f);
    this.on(name, f);
  }

  override destroy(): void {
    for (const name of ['stack-item-added', 'stack-item-popped', 'stack-item-updated'] as const) {
      const set = this._observers.get(name);
      if (set) for (const f of [...set]) if (!this.own.has(f)) set.delete(f);
    }
  }

  dispose(): void {
    super.destroy();
  }
}
