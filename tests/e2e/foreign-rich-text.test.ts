import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { getSlideBody, readFlashbook } from '../../src/model/flashbook.ts';
import { FOREIGN, readForeignBody, writeForeignBody } from '../helpers/foreign-rich-text.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, waitFor } from './pages.ts';

const LIBRARIAN = { name: 'Aigerim Seitkali', library: 'Regional Children’s Library' };

/**
 * Another Yjs client (a stock y-websocket client in Node, not our editor) writes a slide body
 * with an image, a table and a link; a librarian opens and edits the flashbook in Chromium. What
 * the other client wrote must still be there for it, and the slide shows its text.
 */
describe('rich text written by another client with nodes and marks we do not offer', () => {
  let e2e: E2E;
  let doc: Y.Doc;
  let provider: WebsocketProvider;
  let body: Y.XmlFragment;
  let librarian: EditorPage;

  beforeAll(async () => {
    e2e = await startE2E();
    const res = await fetch(`${e2e.baseUrl}/api/flashbooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Абай оқулары' }),
    });
    const created = (await res.json()) as { id: string; editToken: string; editUrl: string };
    doc = new Y.Doc();
    provider = new WebsocketProvider(
      `${e2e.baseUrl.replace(/^http/, 'ws')}/sync`,
      created.id,
      doc,
      {
        params: { token: created.editToken },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      },
    );
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    const cover = readFlashbook(doc).posts[0]!.slides[0]!.id;
    body = getSlideBody(doc, cover)!;
    writeForeignBody(body);
    librarian = await EditorPage.openLink(await e2e.newUser(), created.editUrl, LIBRARIAN);
  });

  afterAll(async () => {
    provider?.destroy();
    await e2e?.close();
  });

  it('keeps the image, the table and the link for everyone when a librarian opens and edits it', async () => {
    const editor = librarian.richText('Organisers');
    await librarian.expectText(editor, [...FOREIGN.cells, FOREIGN.linkText]);
    await editor.click();
    await librarian.page.keyboard.press('ControlOrMeta+Home');
    await editor.pressSequentially('Please ', { delay: 20 });

    const seen = await waitFor(
      async () => readForeignBody(body),
      (s) => s.text.startsWith('Please '),
      'the librarian’s word at the other client',
    );
    expect(seen.cells).toEqual(FOREIGN.cells);
    expect(seen.imageSrc).toBe(FOREIGN.imageSrc);
    expect(seen.linked).toBe(FOREIGN.linkText);
    // The slide shows the table's text, each cell on its own.
    const canvas = await waitFor(
      () => librarian.canvasText(),
      (t) => t.includes('Please See'),
      'the canvas to show the edited body',
    );
    for (const cell of FOREIGN.cells) expect(canvas.split('\n')).toContain(cell);
    // A foreign attribute is kept in the document and never reaches the page.
    expect(await librarian.page.locator(`[src="${FOREIGN.imageSrc}"]`).count()).toBe(0);
    expect(await librarian.page.locator(`a[href="${FOREIGN.href}"]`).count()).toBe(0);
  });

  it('keeps a node that another client adds while the editor is open', async () => {
    const editor = librarian.richText('Organisers');
    await editor.click();
    await librarian.page.keyboard.press('ControlOrMeta+End');
    // A block and an inline node with text, both of names the open editor has never seen, while
    // the librarian's caret is in it.
    doc.transact(() => {
      const callout = new Y.XmlElement('callout');
      callout.setAttribute('tone', 'warning');
      callout.insert(0, [new Y.XmlText('Кітапхана жабық')]);
      const p = new Y.XmlElement('paragraph');
      const before = new Y.XmlText('Ask ');
      const mention = new Y.XmlElement('mention');
      mention.setAttribute('id', 'u-17');
      mention.insert(0, [new Y.XmlText('@Dana')]);
      p.insert(0, [before, mention]);
      body.insert(body.length, [callout, p]);
    });
    await librarian.expectText(editor, ['Кітапхана жабық', '@Dana', ...FOREIGN.cells]);
    // The editor was made again for the larger schema; the caret is still in it.
    await librarian.page.keyboard.type(' today', { delay: 20 });
    await waitFor(
      async () => readForeignBody(body).text,
      (t) => t.includes('today'),
      'the second edit at the other client',
    );
    const names = body.toArray().map((n) => (n instanceof Y.XmlElement ? n.nodeName : '#text'));
    expect(names).toContain('callout');
    const callout = body
      .toArray()
      .find((n) => n instanceof Y.XmlElement && n.nodeName === 'callout') as Y.XmlElement;
    expect(callout.getAttribute('tone')).toBe('warning');
    expect(callout.toString()).toContain('Кітапхана жабық');
    expect(body.toString()).toContain('@Dana');
    const seen = readForeignBody(body);
    expect(seen.cells).toEqual(FOREIGN.cells);
    expect(seen.imageSrc).toBe(FOREIGN.imageSrc);
    expect(seen.linked).toBe(FOREIGN.linkText);
  });
});
