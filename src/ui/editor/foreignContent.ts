import { Extension, Mark, Node, getSchema, type AnyExtension, type Attributes } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { scanRichText, watchRichVocabulary, type RichVocabulary } from '../../model/richtext.ts';

/**
 * Pass-through schema for rich text that other Yjs clients wrote with nodes, marks or attributes
 * our editor does not offer (an image, a table, a link, an alignment). y-tiptap deletes, for
 * everyone, whatever its schema cannot build; so the editor's schema is extended with a plain
 * type for every such name, found by scanning the fragment (src/model/richtext.ts). These types
 * show their text and nothing else: no attribute reaches the DOM (a foreign `href` or `src` is
 * kept in the document, never rendered), nothing is parsed from pasted HTML into them, and no
 * command creates them.
 */
export interface ForeignSpec {
  nodes: Record<string, { inline: boolean; content: 'inline' | 'block' | 'none'; attrs: string[] }>;
  marks: Record<string, { attrs: string[]; overlapping: boolean }>;
  /** Attributes of our own node and mark types that we do not declare. */
  attrs: Record<string, string[]>;
}

/** More foreign names than this and the editor is not opened (see `foreignSpec`). */
export const MAX_FOREIGN_NAMES = 200;

// Names Tiptap and ProseMirror can take as a type or attribute name; anything else stays unknown.
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

const sorted = (values: Iterable<string>) => [...values].filter((v) => NAME.test(v)).sort();

/**
 * What the schema `known` lacks to hold everything in `vocabulary`; `null` if that is more than
 * MAX_FOREIGN_NAMES names (a document made to slow the editor down, not a real one).
 */
export function foreignSpec(vocabulary: RichVocabulary, known: Schema): ForeignSpec | null {
  const spec: ForeignSpec = { nodes: {}, marks: {}, attrs: {} };
  let count = 0;
  const extraAttrs = (type: string, declared: object, used: Set<string>) => {
    const extra = sorted(used).filter((a) => !(a in declared) && a !== 'ychange');
    if (extra.length) spec.attrs[type] = extra;
    count += extra.length;
  };
  for (const [name, use] of vocabulary.nodes) {
    const own = known.nodes[name];
    if (own) {
      extraAttrs(name, own.spec.attrs ?? {}, use.attrs);
      continue;
    }
    if (!NAME.test(name)) continue;
    count++;
    // Inline if it sits beside text or in one of our textblocks (a paragraph with an image only).
    const inline =
      use.besideText ||
      [...use.parents].some((p) => known.nodes[p]?.inlineContent === true) ||
      [...use.parents].some((p) => vocabulary.nodes.get(p)?.holdsText === true);
    spec.nodes[name] = {
      inline,
      content: use.holdsText ? 'inline' : use.holdsElements ? 'block' : 'none',
      attrs: sorted(use.attrs).filter((a) => a !== 'ychange'),
    };
  }
  for (const [name, use] of vocabulary.marks) {
    const own = known.marks[name];
    if (own) {
      extraAttrs(name, own.spec.attrs ?? {}, use.attrs);
      continue;
    }
    if (!NAME.test(name)) continue;
    count++;
    spec.marks[name] = { attrs: sorted(use.attrs), overlapping: use.overlapping };
  }
  return count > MAX_FOREIGN_NAMES ? null : spec;
}

// A node's type only grows as more of the document is seen: inline once it is seen inline, and
// holding text over holding elements over holding nothing.
const CONTENT_RANK = { none: 0, block: 1, inline: 2 } as const;

/**
 * True if `spec` (from a part of the document) needs nothing that `current` (from all of it)
 * lacks.
 */
export function foreignCovers(current: ForeignSpec, spec: ForeignSpec): boolean {
  const sameNode = (a: ForeignSpec['nodes'][string], b: ForeignSpec['nodes'][string]) =>
    (a.inline || !b.inline) &&
    CONTENT_RANK[a.content] >= CONTENT_RANK[b.content] &&
    b.attrs.every((x) => a.attrs.includes(x));
  return (
    Object.entries(spec.nodes).every(
      ([n, s]) => current.nodes[n] && sameNode(current.nodes[n], s),
    ) &&
    Object.entries(spec.marks).every(
      ([n, s]) =>
        current.marks[n] !== undefined &&
        current.marks[n].overlapping === s.overlapping &&
        s.attrs.every((a) => current.marks[n]!.attrs.includes(a)),
    ) &&
    Object.entries(spec.attrs).every(([t, list]) =>
      list.every((a) => current.attrs[t]?.includes(a)),
    )
  );
}

function passThroughAttributes(names: string[]): Attributes {
  // Kept in the document, never rendered to or parsed from the DOM.
  return Object.fromEntries(
    names.map((a) => [a, { default: null, rendered: false, parseHTML: () => null }]),
  );
}

export function foreignExtensions(spec: ForeignSpec): AnyExtension[] {
  const out: AnyExtension[] = [];
  for (const [name, s] of Object.entries(spec.nodes)) {
    const tag = s.inline ? 'span' : 'div';
    out.push(
      Node.create({
        name,
        group: s.inline ? 'inline' : 'block',
        inline: s.inline,
        content: s.content === 'inline' ? 'inline*' : s.content === 'block' ? 'block*' : '',
        atom: s.content === 'none',
        selectable: s.content === 'none',
        addAttributes: () => passThroughAttributes(s.attrs),
        parseHTML: () => [],
        renderHTML: () =>
          s.content === 'none'
            ? [tag, { 'data-foreign': name, contenteditable: 'false' }]
            : [tag, { 'data-foreign': name }, 0],
      }),
    );
  }
  for (const [name, s] of Object.entries(spec.marks)) {
    out.push(
      Mark.create({
        name,
        // y-prosemirror writes a mark that does not exclude itself under hashed keys.
        excludes: s.overlapping ? '' : undefined,
        addAttributes: () => passThroughAttributes(s.attrs),
        parseHTML: () => [],
        renderHTML: () => ['span', { 'data-foreign-mark': name }, 0],
      }),
    );
  }
  const typed = Object.entries(spec.attrs);
  if (typed.length) {
    out.push(
      Extension.create({
        name: 'foreignAttributes',
        addGlobalAttributes: () =>
          typed.map(([type, names]) => ({
            types: [type],
            attributes: passThroughAttributes(names),
          })),
      }),
    );
  }
  return out;
}

/** What we offer: the editor's own node and mark types. */
export const OWN_CONTENT: AnyExtension[] = [
  StarterKit.configure({
    undoRedo: false,
    heading: { levels: [2, 3] },
    code: false,
    codeBlock: false,
    horizontalRule: false,
    link: false,
  }),
];
const CONTENT_SCHEMA = getSchema(OWN_CONTENT);

/** True if the fragment holds more foreign names than an editor is made for. */
export function tooForeign(fragment: Y.XmlFragment): boolean {
  return foreignSpec(scanRichText(fragment), CONTENT_SCHEMA) === null;
}

/**
 * The content extensions for an editor of `fragment` made now: ours, a pass-through type for
 * every foreign name the fragment holds at this moment, and a guard. Call it when the editor is
 * made, not earlier: content that arrives between the scan and the editor would be deleted.
 *
 * The guard listens on the document's `beforeObserverCalls`, which Yjs emits before it calls
 * any observer, y-tiptap's included. When a transaction brings a name this editor's schema
 * lacks (another client adds a table while the editor is open), the guard destroys the editor
 * there, before its binding would see and delete that content, and calls `onStale` so that a
 * new editor is made (with a new scan). `null` if the fragment holds too many foreign names.
 */
export function contentExtensions(
  fragment: Y.XmlFragment,
  /** Called with where the caret was if the destroyed editor had the focus. */
  onStale: (caret: number | null) => void,
): AnyExtension[] | null {
  const spec = foreignSpec(scanRichText(fragment), CONTENT_SCHEMA);
  if (spec === null) return null;
  let stop: (() => void) | null = null;
  const guard = Extension.create({
    name: 'foreignGuard',
    onBeforeCreate() {
      const editor = this.editor;
      stop = watchRichVocabulary(fragment, ySyncPluginKey, (found) => {
        const needed = foreignSpec(found, CONTENT_SCHEMA);
        if (needed !== null && foreignCovers(spec, needed)) return;
        // Also before the editor is mounted (no view yet): it would mount with this schema.
        stop?.();
        stop = null;
        const caret = editor.isFocused ? editor.state.selection.head : null;
        editor.destroy();
        onStale(caret);
      });
    },
    onDestroy() {
      stop?.();
      stop = null;
    },
  });
  return [...OWN_CONTENT, ...foreignExtensions(spec), guard];
}
