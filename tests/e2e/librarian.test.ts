import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addSlide, readFlashbook } from '../../src/model/flashbook.ts';
import { Harness, synced } from '../helpers/server.ts';
import { startE2E, type E2E } from './harness.ts';
import { HomePage, waitFor, type EditorPage } from './pages.ts';

/** What a librarian sees of a book slide, written by a colleague's client through the model. */
describe('Book slides and slide controls as a librarian uses them', () => {
  let e2e: E2E;
  let editor: EditorPage;
  const harness = new Harness();
  let doc: Y.Doc;
  let postId: string;

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Regional Library',
    });
    editor = await home.createFlashbook('Жаңа кітаптар');
    const { edit } = await editor.shareLinks();
    const match = /\/f\/([A-Za-z0-9_-]+)#t=(.+)$/.exec(edit ?? '');
    if (!match?.[1] || !match[2]) throw new Error(`unexpected edit link ${edit}`);
    const client = harness.connect(e2e.baseUrl, match[1], decodeURIComponent(match[2]));
    await synced(client.provider);
    doc = client.doc;
    const first = readFlashbook(doc).posts[0];
    if (!first) throw new Error('no first post');
    postId = first.id;
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('describes a book in library style, and in the short line when the flashbook asks for it', async () => {
    addSlide(doc, postId, {
      layout: 'book',
      fields: {
        author: 'Кэрролл Льюис',
        title: 'Алиса в Стране чудес',
        publisher: 'Детская литература',
        place: 'Москва',
        year: '2021',
        pages: '224',
        isbn: '978-5-08-006498-2',
      },
    });
    await editor.selectSlide('Алиса в Стране чудес');
    const biblio = () =>
      editor.page
        .locator('.canvas .slide__biblio')
        .innerText()
        .then((s) => s.replaceAll('\u00AD', ''));
    expect(await waitFor(biblio, (s) => s.length > 0, 'the bibliographic line')).toBe(
      'Москва : Детская литература, 2021. — 224 с.',
    );
    await editor.page.getByRole('button', { name: 'Design' }).click();
    const dialog = editor.page.getByRole('dialog', { name: 'Design and settings' });
    const style = dialog.getByLabel('Book description on book slides');
    await style.selectOption('gost-isbn');
    await waitFor(biblio, (s) => s.includes('ISBN'), 'the line with the ISBN');
    expect(await biblio()).toBe(
      'Москва : Детская литература, 2021. — 224 с. — ISBN 978-5-08-006498-2.',
    );
    await style.selectOption('short');
    await waitFor(biblio, (s) => s.includes('·'), 'the short line');
    expect(await biblio()).toBe('Детская литература · Москва · 2021 · 224');
    // The choice is the flashbook's: the colleague's client reads it too.
    await waitFor(
      () => Promise.resolve(readFlashbook(doc).biblioStyle),
      (s) => s === 'short',
      'the setting in the shared document',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it.each(['quote', 'text', 'closing'] as const)(
    'removes the age label of a %s slide (one that kept it from its book layout)',
    async (layout) => {
      const title = `Возраст ${layout}`;
      addSlide(doc, postId, {
        layout: 'book',
        ageLabel: '12+',
        fields: { title, quote: title },
      });
      await editor.selectSlide(title);
      const form = editor.page.getByRole('region', { name: 'Slide content' });
      await form.getByLabel('Layout').selectOption(layout);
      const badge = editor.page.locator('.canvas .slide__age');
      expect(await badge.innerText()).toBe('12+');
      const age = form.getByLabel('Age label');
      expect(await age.inputValue()).toBe('12+');
      await age.selectOption({ label: 'none' });
      await badge.waitFor({ state: 'detached' });
      await waitFor(
        () => Promise.resolve(readFlashbook(doc).posts[0]?.slides.at(-1)?.ageLabel),
        (a) => a === '',
        'the label removed in the shared document',
      );
      // And it can be set again on this layout.
      await age.selectOption('6+');
      expect(await badge.innerText()).toBe('6+');
    },
  );
});
