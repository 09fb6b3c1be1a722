import { Extension } from '@tiptap/core';
import type { EditorState } from '@tiptap/pm/state';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { anchorBefore, encodeAnchor } from '../../model/comments.ts';

/** A thread's range in the rich body, as the Y relative positions stored with it. */
export interface BodyAnchor {
  id: string;
  start: Y.RelativePosition;
  end: Y.RelativePosition;
  active: boolean;
}

export interface CommentMarksOptions {
  /** Read whenever the editor redraws: ranges move with the text. */
  anchors: () => readonly BodyAnchor[];
  /** Ctrl+Alt+M: comment on the selection. */
  onComment: (() => void) | null;
}

export const commentMarksKey = new PluginKey('commentMarks');

interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
}

const syncState = (state: EditorState): SyncState | undefined => {
  const s = ySyncPluginKey.getState(state) as SyncState | undefined;
  return s?.binding ? s : undefined;
};

/** The ranges of comment threads in the body, drawn as decorations (never written into the text). */
export const CommentMarks = Extension.create<CommentMarksOptions>({
  name: 'commentMarks',
  addOptions() {
    return { anchors: () => [], onComment: null };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-Alt-m': () => {
        this.options.onComment?.();
        return this.options.onComment !== null;
      },
    };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin({
        key: commentMarksKey,
        props: {
          decorations(state) {
            const ys = syncState(state);
            if (!ys?.binding) return null;
            const mapping = ys.binding.mapping as never;
            const decorations = options.anchors().flatMap((a) => {
              const from = relativePositionToAbsolutePosition(ys.doc, ys.type, a.start, mapping);
              const to = relativePositionToAbsolutePosition(ys.doc, ys.type, a.end, mapping);
              if (from === null || to === null || to <= from) return [];
              return [
                Decoration.inline(from, to, {
                  class: a.active ? 'comment-mark comment-mark--active' : 'comment-mark',
                  'data-thread-id': a.id,
                }),
              ];
            });
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});

/**
 * The selection as a thread's anchors: the start sticks to the first selected character, the end
 * to the last one. Undefined for an empty selection or before the editor is bound.
 */
export function selectionAnchors(
  state: EditorState,
): { anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string } | undefined {
  const ys = syncState(state);
  const { from, to } = state.selection;
  if (!ys?.binding || to <= from) return undefined;
  const mapping = ys.binding.mapping as never;
  // y-prosemirror's positions stick to the character before them: right for the end (the last
  // selected character); the start is made to stick to the first selected character instead,
  // when there is one in the same text block.
  const $from = state.doc.resolve(from);
  const charAfter = $from.parent.isTextblock && from < $from.end();
  const start = charAfter
    ? anchorBefore(
        absolutePositionToRelativePosition(from + 1, ys.type, mapping) as Y.RelativePosition,
      )
    : (absolutePositionToRelativePosition(from, ys.type, mapping) as Y.RelativePosition);
  const end = absolutePositionToRelativePosition(to, ys.type, mapping) as Y.RelativePosition;
  return {
    anchorStart: encodeAnchor(start),
    anchorEnd: encodeAnchor(end),
    quote: state.doc.textBetween(from, to, '\n'),
  };
}
