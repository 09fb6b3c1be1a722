import { Editor, getSchema } from '@tiptap/core';
import { Fragment, Slice } from '@tiptap/pm/model';
import {
  initProseMirrorDoc,
  updateYFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readRichText, richPlainText } from '../../src/model/richtext.ts';
import { FOREIGN, readForeignBody, writeForeignBody } from '../helpers/foreign-rich-text.ts';
import { scanRichText } from '../../src/model/richtext.ts';
import {
  OWN_CONTENT,
  contentExtensions,
  foreignCovers,
  foreignSpec,
} from '../../src/ui/editor/foreignContent.ts';

function foreignDoc(): { doc: Y.Doc; body: Y.XmlFragment } {
  const doc = new Y.Doc();
  const body = doc.getXmlFragment('body');
  writeForeignBody(body);
  return { doc, body };
}

// No DOM here: JSON content (Tiptap parses a string as HTML). The editor is never mounted.
const EMPTY = { type: 'doc', content: [{ type: 'paragraph' }] };

const kept = {
  cells: FOREIGN.cells,
  imageSrc: FOREIGN.imageSrc,
  linked: FOREIGN.linkText,
};

describe('rich text another client wrote with nodes and marks we do not offer', () => {
  it('is deleted by y-tiptap with our own schema alone (the reason for pass-through types)', () => {
    const { body } = foreignDoc();
    yXmlFragmentToProseMirrorRootNode(body, getSchema(OWN_CONTENT));
    const seen = readForeignBody(body);
    expect(seen.cells).toEqual([]);
    expect(seen.imageSrc).toBeUndefined();
  });

  it('survives being read into the editor schema and a local edit written back', () => {
    const { doc, body } = foreignDoc();
    const schema = getSchema(contentExtensions(body, () => {})!);
    // What the editor's binding does when it opens the fragment…
    const { doc: pm, meta } = initProseMirrorDoc(body, schema);
    expect(readForeignBody(body)).toMatchObject(kept);
    // …and when the librarian types a word at the start of the first paragraph.
    const edited = pm.replace(1, 1, new Slice(Fragment.from(schema.text('Please ')), 0, 0));
    doc.transact(() => updateYFragment(doc, body, edited, meta));
    const seen = readForeignBody(body);
    expect(seen).toMatchObject(kept);
    expect(seen.text.startsWith('Please See ')).toBe(true);
    // The link keeps its attributes, not just its name.
    const firstText = (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const linkOp = (firstText.toDelta() as { attributes?: { link?: unknown } }[]).find(
      (op) => op.attributes?.link,
    );
    expect(linkOp?.attributes?.link).toEqual({ href: FOREIGN.href, target: '_blank' });
    expect((body.get(1) as Y.XmlElement).getAttribute('alt')).toBe('Cover');
  });

  it('renders as its text on the slide, each table cell apart', () => {
    const { body } = foreignDoc();
    const text = richPlainText(readRichText(body));
    expect(text.split('\n')).toEqual([`See ${FOREIGN.linkText}.`, ...FOREIGN.cells]);
  });

  it('remakes the editor when a remote change brings a name its schema lacks, before y-tiptap sees it', () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment('body');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('plain')]);
    body.insert(0, [p]);
    let stale = 0;
    let destroyed = false;
    const editor = new Editor({
      content: EMPTY,
      extensions: contentExtensions(body, () => stale++)!,
    });
    editor.on('destroy', () => (destroyed = true));
    const seenByLaterObservers: boolean[] = [];
    body.observeDeep(() => seenByLaterObservers.push(destroyed));

    // A name the schema has: nothing happens.
    (p.get(0) as Y.XmlText).insert(0, 'more ', { bold: {} });
    expect(stale).toBe(0);
    expect(destroyed).toBe(false);

    // A remote client adds a table.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    writeForeignBody(remote.getXmlFragment('body'));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'remote');
    expect(stale).toBe(1);
    // Destroyed before any observer (y-tiptap's binding is one) saw the transaction.
    expect(seenByLaterObservers).toEqual([false, true]);

    // The next editor's schema holds it all.
    const next = new Editor({
      content: EMPTY,
      extensions: contentExtensions(body, () => stale++)!,
    });
    expect(() => yXmlFragmentToProseMirrorRootNode(body, next.schema)).not.toThrow();
    expect(readForeignBody(body)).toMatchObject(kept);
    next.destroy();
  });

  it('gives each foreign name the type its place in the document asks for', () => {
    const { body } = foreignDoc();
    const p = new Y.XmlElement('paragraph');
    const mention = new Y.XmlElement('mention');
    mention.insert(0, [new Y.XmlText('@Dana')]);
    p.insert(0, [new Y.XmlText('Ask '), mention]);
    const aligned = new Y.XmlElement('paragraph');
    aligned.setAttribute('textAlign', 'center');
    body.insert(body.length, [p, aligned]);
    const spec = foreignSpec(scanRichText(body), getSchema(OWN_CONTENT))!;
    expect(spec.nodes).toEqual({
      image: { inline: false, content: 'none', attrs: ['alt', 'src'] },
      table: { inline: false, content: 'block', attrs: [] },
      tableRow: { inline: false, content: 'block', attrs: [] },
      tableCell: { inline: false, content: 'block', attrs: ['colspan'] },
      mention: { inline: true, content: 'inline', attrs: [] },
    });
    expect(spec.marks).toEqual({ link: { attrs: ['href', 'target'], overlapping: false } });
    expect(spec.attrs).toEqual({ paragraph: ['textAlign'] });
    // What a later change needs is covered only if nothing in it is new.
    expect(foreignCovers(spec, spec)).toBe(true);
    const grown = structuredClone(spec);
    grown.nodes['image'] = { inline: false, content: 'block', attrs: ['alt', 'src'] };
    expect(foreignCovers(spec, grown)).toBe(false);
    // A part of the document that shows less of a node (an empty table somewhere) needs nothing.
    const part = structuredClone(spec);
    part.nodes['table'] = { inline: false, content: 'none', attrs: [] };
    expect(foreignCovers(spec, part)).toBe(true);
    expect(foreignCovers(spec, { nodes: {}, marks: {}, attrs: { heading: ['id'] } })).toBe(false);
  });
});
