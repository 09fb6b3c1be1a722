import * as Y from 'yjs';

/**
 * Rich text as another Yjs client (not our editor) writes it: nodes and marks our editor does not
 * offer. An image, a table with text in its cells, and a link mark in a paragraph.
 */
export const FOREIGN = {
  linkText: 'the catalogue',
  href: 'https://lib.example.kz/catalogue',
  imageSrc: 'https://lib.example.kz/cover.png',
  cells: ['Абай Құнанбайұлы', 'Қара сөздер'],
};

export function writeForeignBody(body: Y.XmlFragment): void {
  body.doc!.transact(() => {
    if (body.length) body.delete(0, body.length);
    const p = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    p.insert(0, [text]);
    const image = new Y.XmlElement('image');
    const table = new Y.XmlElement('table');
    const row = new Y.XmlElement('tableRow');
    table.insert(0, [row]);
    const cells = FOREIGN.cells.map((content) => {
      const cell = new Y.XmlElement('tableCell');
      const cp = new Y.XmlElement('paragraph');
      const ct = new Y.XmlText();
      cp.insert(0, [ct]);
      cell.insert(0, [cp]);
      return { cell, ct, content };
    });
    row.insert(
      0,
      cells.map((c) => c.cell),
    );
    body.insert(0, [p, image, table]);
    text.insert(0, 'See ');
    text.insert(4, FOREIGN.linkText, { link: { href: FOREIGN.href, target: '_blank' } });
    text.insert(4 + FOREIGN.linkText.length, '.', { link: null });
    image.setAttribute('src', FOREIGN.imageSrc);
    image.setAttribute('alt', 'Cover');
    for (const c of cells) {
      // Tiptap's table writes numbers here.
      (c.cell as Y.XmlElement<{ colspan: number }>).setAttribute('colspan', 1);
      c.ct.insert(0, c.content);
    }
  });
}

export interface ForeignSeen {
  cells: string[];
  imageSrc: string | undefined;
  /** Text under a link mark with FOREIGN.href. */
  linked: string;
  text: string;
}

/** What of writeForeignBody's content the fragment still holds. */
export function readForeignBody(body: Y.XmlFragment): ForeignSeen {
  const seen: ForeignSeen = { cells: [], imageSrc: undefined, linked: '', text: '' };
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, inCell: boolean): void => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as {
        insert: unknown;
        attributes?: { link?: { href?: string } };
      }[]) {
        if (typeof op.insert !== 'string') continue;
        seen.text += op.insert;
        if (inCell) seen.cells.push(op.insert);
        if (op.attributes?.link?.href === FOREIGN.href) seen.linked += op.insert;
      }
    } else if (node instanceof Y.XmlElement) {
      if (node.nodeName === 'image') seen.imageSrc = node.getAttribute('src');
      const cell = inCell || node.nodeName === 'tableCell';
      for (const child of node.toArray()) walk(child, cell);
    }
  };
  for (const child of body.toArray()) walk(child, false);
  return seen;
}
