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
      // An unknown block renders as its text. One that holds text is a paragraph of it; one that
      // holds only elements (a table: rows, cells, their paragraphs) renders those as blocks, so
      // that the text of two cells does not run together.
      const kids = node.toArray();
      if (!kids.some((c) => c instanceof Y.XmlText)) return kids.flatMap(blockOf);
      const spans = kids.flatMap((c) => (c instanceof Y.XmlHook ? [] : spansOf(c)));
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

/**
 * What a rich text holds, as names: every element's name and attribute names with where it sits,
 * and every text format (mark) with its attribute names. The editor compares this with its
 * schema to keep what another client wrote and it does not know (y-tiptap deletes any node or
 * mark its schema cannot build, for everyone).
 */
export interface RichNodeUse {
  attrs: Set<string>;
  /** Names of the elements it sits in; '' is the top level. */
  parents: Set<string>;
  /** It sits beside text somewhere (an inline node). */
  besideText: boolean;
  /** It holds text somewhere (inline content). */
  holdsText: boolean;
  /** It holds elements somewhere. */
  holdsElements: boolean;
}

export interface RichMarkUse {
  attrs: Set<string>;
  /** Written under `name--hash` keys: several of it may cover one character (y-prosemirror). */
  overlapping: boolean;
}

export interface RichVocabulary {
  nodes: Map<string, RichNodeUse>;
  marks: Map<string, RichMarkUse>;
}

export function emptyVocabulary(): RichVocabulary {
  return { nodes: new Map(), marks: new Map() };
}

function nodeUseOf(vocabulary: RichVocabulary, name: string): RichNodeUse {
  let use = vocabulary.nodes.get(name);
  if (!use) {
    use = {
      attrs: new Set(),
      parents: new Set(),
      besideText: false,
      holdsText: false,
      holdsElements: false,
    };
    vocabulary.nodes.set(name, use);
  }
  return use;
}

function scanText(text: Y.XmlText, vocabulary: RichVocabulary): void {
  for (const op of text.toDelta() as { attributes?: Record<string, unknown> }[]) {
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      const hashAt = key.indexOf('--');
      const name = hashAt > 0 ? key.slice(0, hashAt) : key;
      let use = vocabulary.marks.get(name);
      if (!use) {
        use = { attrs: new Set(), overlapping: false };
        vocabulary.marks.set(name, use);
      }
      if (hashAt > 0) use.overlapping = true;
      if (value !== null && typeof value === 'object') {
        for (const attr of Object.keys(value)) use.attrs.add(attr);
      }
    }
  }
}

function scanElement(el: Y.XmlElement, vocabulary: RichVocabulary): void {
  const use = nodeUseOf(vocabulary, el.nodeName);
  for (const attr of Object.keys(el.getAttributes())) use.attrs.add(attr);
  const parent = el.parent;
  use.parents.add(parent instanceof Y.XmlElement ? parent.nodeName : '');
  if (parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment) {
    if (parent.toArray().some((c) => c instanceof Y.XmlText)) use.besideText = true;
  }
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      use.holdsText = true;
      scanText(child, vocabulary);
    } else if (child instanceof Y.XmlElement) {
      use.holdsElements = true;
      scanElement(child, vocabulary);
    }
  }
}

/**
 * Adds the names in `type` and everything under it to `vocabulary` (a new one if none is given).
 * A fragment, an element or a text: one changed part can be scanned without the whole.
 */
export function scanRichText(
  type: Y.XmlFragment | Y.XmlElement | Y.XmlText,
  vocabulary: RichVocabulary = emptyVocabulary(),
): RichVocabulary {
  if (type instanceof Y.XmlText) scanText(type, vocabulary);
  else if (type instanceof Y.XmlElement) scanElement(type, vocabulary);
  else {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) scanText(child, vocabulary);
      else if (child instanceof Y.XmlElement) scanElement(child, vocabulary);
    }
  }
  return vocabulary;
}

/**
 * Watches what a transaction brings into `fragment`: before Yjs calls any observer (its
 * `beforeObserverCalls` event, ahead of an editor binding's own observer), `onChange` gets the
 * vocabulary of the changed rich text. Transactions with origin `ignore` (an editor's own writes,
 * which hold only what its schema has) are skipped. Returns the function that stops watching.
 */
export function watchRichVocabulary(
  fragment: Y.XmlFragment,
  ignore: unknown,
  onChange: (found: RichVocabulary) => void,
): () => void {
  const doc = fragment.doc;
  if (!doc) return () => {};
  const within = (type: unknown): boolean => {
    for (let t = type; t instanceof Y.AbstractType; t = t.parent) if (t === fragment) return true;
    return false;
  };
  const listener = (tr: Y.Transaction) => {
    if (tr.origin === ignore) return;
    let found: RichVocabulary | undefined;
    for (const type of tr.changed.keys()) {
      if (
        (type instanceof Y.XmlFragment ||
          type instanceof Y.XmlElement ||
          type instanceof Y.XmlText) &&
        within(type)
      ) {
        found = scanRichText(type, found);
      }
    }
    if (found) onChange(found);
  };
  doc.on('beforeObserverCalls', listener);
  return () => doc.off('beforeObserverCalls', listener);
}
