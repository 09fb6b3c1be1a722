import * as Y from 'yjs';

/**
 * A plain, render-ready form of a slide's rich text (the Tiptap/ProseMirror document stored in a
 * Y.XmlFragment). Slides render from this, not from Y types, in the editor, in export and on the
 * exhibition page alike. Only the node and mark types we offer are kept; anything else another
 * client wrote degrades to its text content.
 */
export type RichMark = 'bold' | 'italic' | 'strike' | 'underline';

export interface RichSpan {
  text: string;
  marks: RichMark[];
}

export type RichBlock =
  | { type: 'paragraph'; spans: RichSpan[] }
  | { type: 'heading'; level: 2 | 3; spans: RichSpan[] }
  | { type: 'quote'; blocks: RichBlock[] }
  | { type: 'list'; ordered: boolean; items: RichBlock[][] };

const MARKS: readonly RichMark[] = ['bold', 'italic', 'strike', 'underline'];

function spansOf(node: Y.XmlElement | Y.XmlText): RichSpan[] {
  if (node instanceof Y.XmlText) {
    const spans: RichSpan[] = [];
    for (const op of node.toDelta() as {
      insert?: unknown;
      attributes?: Record<string, unknown>;
    }[]) {
      if (typeof op.insert !== 'string') continue;
      const marks = MARKS.filter((m) => op.attributes?.[m] !== undefined);
      spans.push({ text: op.insert, marks });
    }
    return spans;
  }
  // Inline elements we do not know (a hard break, a foreign node): keep their text.
  if (node.nodeName === 'hardBreak') return [{ text: '\n', marks: [] }];
  return node.toArray().flatMap((c) => (c instanceof Y.XmlHook ? [] : spansOf(c)));
}

function blockOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): RichBlock[] {
  if (node instanceof Y.XmlHook) return [];
  if (node instanceof Y.XmlText) return [{ type: 'paragraph', spans: spansOf(node) }];
  const children = () => node.toArray().flatMap(blockOf);
  switch (node.nodeName) {
    case 'heading': {
      const level = Number(node.getAttribute('level')) >= 3 ? 3 : 2;
      return [{ type: 'heading', level, spans: spansOf(node) }];
    }
    case 'blockquote':
      return [{ type: 'quote', blocks: children() }];
    case 'bulletList':
    case 'orderedList':
      return [
        {
          type: 'list',
          ordered: node.nodeName === 'orderedList',
          items: node
            .toArray()
            .map((item) =>
              item instanceof Y.XmlElement ? item.toArray().flatMap(blockOf) : blockOf(item),
            ),
        },
      ];
    case 'paragraph':
      return [{ type: 'paragraph', spans: spansOf(node) }];
    default: {
      // An unknown block: render what text it has rather than nothing or a crash.
      const spans = node.toArray().flatMap((c) => (c instanceof Y.XmlHook ? [] : spansOf(c)));
      return spans.length ? [{ type: 'paragraph', spans }] : [];
    }
  }
}

export function readRichText(fragment: unknown): RichBlock[] {
  if (!(fragment instanceof Y.XmlFragment)) return [];
  return fragment.toArray().flatMap(blockOf);
}

export function richPlainText(blocks: readonly RichBlock[]): string {
  return blocks
    .map((b) =>
      b.type === 'quote'
        ? richPlainText(b.blocks)
        : b.type === 'list'
          ? b.items.map((i) => richPlainText(i)).join('\n')
          : b.spans.map((s) => s.text).join(''),
    )
    .join('\n');
}
